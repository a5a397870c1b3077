"""The API over a real socket (live server, real HTTP client): a dropped response is retried safely."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from streetlight.reports.models import Report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_city")]


def test_retry_over_http_returns_the_first_report(live_server: Any, report_json: dict[str, Any]) -> None:
    headers = {"Idempotency-Key": "4a7f3a52-7f0c-4b89-9d38-0a1b2c3d4e5f"}
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        first = client.post("/api/v1/reports", json=report_json, headers=headers)
        retry = client.post("/api/v1/reports", json=report_json, headers=headers)
        followup = client.get("/api/v1/followup", headers={"Authorization": f"Bearer {retry.json()['followup_token']}"})
    assert first.status_code == retry.status_code == 201
    assert retry.json()["reference"] == first.json()["reference"]
    assert followup.json()["status"] == "received"
    assert Report.objects.count() == 1


def test_openapi_document_is_3_1_and_lists_the_endpoints(live_server: Any) -> None:
    doc = httpx.get(live_server.url + "/api/v1/openapi.json", timeout=10).json()
    assert doc["openapi"].startswith("3.1")
    assert {
        "/api/v1/reports",
        "/api/v1/reports/with-photos",
        "/api/v1/categories",
        "/api/v1/followup",
    } <= set(doc["paths"])


def test_categories_come_in_the_asked_language(live_server: Any) -> None:
    en = httpx.get(live_server.url + "/api/v1/categories", headers={"Accept-Language": "en"}, timeout=10).json()
    it = httpx.get(live_server.url + "/api/v1/categories", headers={"Accept-Language": "it"}, timeout=10).json()
    by_code = {c["code"]: c for c in en}
    assert by_code["hate-verbal"]["sensitive"] is True
    assert {c["code"]: c["name"] for c in it}["theft-bike"] != by_code["theft-bike"]["name"]
    assert by_code["theft-bike"]["guidance"]["what_to_do_now"]
