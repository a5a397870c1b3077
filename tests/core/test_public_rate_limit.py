"""Every public endpoint has a per-address limit; signed-in staff and partner tokens do not count."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.staff import member, signed_in

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/transparency/", "/open-data/", "/api/v1/categories", "/open311/v2/services.json"]


@pytest.fixture
def low_limit(settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "PUBLIC_RATE": "3/1m"}


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_endpoint_is_limited_per_address(low_limit: None, path: str) -> None:
    client = Client()
    for _ in range(3):
        assert client.get(path).status_code == 200
    refused = client.get(path)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    if path.startswith(("/api/", "/open311/")):
        assert refused["Content-Type"] == "application/problem+json"
    else:
        assert "Too many requests" in refused.content.decode()
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert other_address.get(path).status_code == 200


def test_signed_in_staff_and_the_health_check_are_not_counted(low_limit: None) -> None:
    staff = signed_in(member("police", "operator"))
    for _ in range(5):
        assert staff.get("/control/").status_code == 200
    for _ in range(5):
        assert Client().get("/healthz").status_code == 200
