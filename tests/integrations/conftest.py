"""Fixtures for the Open311 tests: an API client key, and the base form of a valid request."""

from __future__ import annotations

from typing import Any

import pytest

from streetlight.integrations.services import open311_client_create


@pytest.fixture
def api_key(db: None) -> str:
    _client, raw_key = open311_client_create(name="FixMyStreet test")
    return raw_key


@pytest.fixture
def request_form(api_key: str, city_point: tuple[float, float]) -> dict[str, Any]:
    """A valid POST requests body, as FixMyStreet sends it."""
    lat, lon = city_point
    return {
        "api_key": api_key,
        "jurisdiction_id": "portavera.example",
        "service_code": "public-space-streetlight",
        "lat": str(lat),
        "long": str(lon),
        "description": "The street light in front of number 12 has been out for a week.",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "media_url": "https://example.org/photo.jpg",
        "device_id": "tt222111",
        "account_id": "123456",
        "attribute[WHISPAWN]": "123456",
    }
