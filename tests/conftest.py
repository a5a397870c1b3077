"""Shared fixtures: the demo city's catalog is loaded once per test database, and every test runs
inside a transaction that is rolled back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("STREETLIGHT_DATA_DIR", "/tmp/streetlight-test")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from streetlight.demo.seed import seed_catalog
    from streetlight.triage.services import triage_seed_model

    with django_db_blocker.unblock():
        seed_catalog()
        triage_seed_model()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and the area index version live in the cache: start each test clean.
    Toolkit tests run without Django; for them this does nothing."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city_point() -> tuple[float, float]:
    """A point well inside the demo city."""
    from streetlight.reports.geo import area_index

    index = area_index()
    assert index is not None
    return index.centroid(index.codes[0])


@pytest.fixture
def report_json(city_point: tuple[float, float]) -> dict[str, Any]:
    lat, lon = city_point
    return {
        "category": "theft-bike",
        "description": "My bike was stolen from the rack in front of the station.",
        "language": "en",
        "when": {"kind": "now"},
        "location": {"kind": "point", "lat": lat, "lon": lon, "precision_m": 15},
        "consent": {
            "police": True,
            "victim_support": False,
            "social_services": False,
            "city": False,
            "contact": False,
            "public_statistics": True,
        },
    }


def pytest_configure(config: Any) -> None:
    """Serve static files from the finders in tests: no collectstatic manifest is needed."""
    from django.conf import settings

    if settings.configured:
        # Staff passwords are hashed with argon2 in production; tests log in often, so use a fast hasher.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # One test client makes hundreds of requests from one address; the limit has its own tests.
        settings.STREETLIGHT = {**settings.STREETLIGHT, "PUBLIC_RATE": "1000000/1s"}


@pytest.fixture
def seeded_city(transactional_db: Any) -> None:
    """For tests that commit for real (live server, worker): the flush after each of them empties
    the database, so they load the demo catalog themselves."""
    from streetlight.demo.seed import seed_catalog

    seed_catalog()


@pytest.fixture
def admin_client(admin_user: Any) -> Any:
    """pytest-django's admin client, signed in as the sign-in screens leave a session: with a
    verified second factor (a session without one is signed out)."""
    from django.test import Client

    from tests.staff import sign_in

    return sign_in(Client(), admin_user)
