"""Schemathesis generates requests from our own OpenAPI document: whatever it sends, the API
answers with a documented status and never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from streetlight.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _db(db: Any, settings: Any) -> Iterator[None]:
    """Generated requests are many: lift the rate limit and accept the test client's host. As
    Django's own test client does, keep the test's connection open across requests."""
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "100000/1s"}
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_with_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
