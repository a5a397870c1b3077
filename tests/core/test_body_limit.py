"""Oversized bodies are refused as they arrive, over real HTTP, before Django spools them to disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests import servers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(settings: Any, seeded_city: None) -> Iterator[str]:
    from streetlight.asgi import application

    settings.ALLOWED_HOSTS = ["*"]
    settings.STREETLIGHT = {**settings.STREETLIGHT, "MAX_REQUEST_BYTES": 64 * 1024}
    with servers.asgi_server(application) as url:
        yield url


def test_a_declared_length_over_the_limit_is_refused_at_once(base: str) -> None:
    response = httpx.post(
        base + "/api/v1/reports", content=b"x" * (65 * 1024), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_an_endless_chunked_body_is_cut_off(base: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(1000):  # 16 MB if nobody stopped it
            yield b"y" * 16384

    try:
        response = httpx.post(base + "/api/v1/reports", content=chunks(), headers={"Content-Type": "application/json"})
    except httpx.WriteError:
        return  # the server answered and closed while the client was still sending: refused all the same
    assert response.status_code == 413


def test_a_normal_report_still_passes(base: str, report_json: dict[str, Any]) -> None:
    response = httpx.post(
        base + "/api/v1/reports", content=json.dumps(report_json), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201
