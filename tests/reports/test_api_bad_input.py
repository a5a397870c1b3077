"""Every bad input gets a 4xx problem document naming the field, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.reports.models import Report

from .helpers import with_

pytestmark = pytest.mark.django_db


def post(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/v1/reports", data=data, content_type="application/json")


def fields(resp: Any) -> set[str]:
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["status"] == resp.status_code
    assert all(e["detail"] for e in body.get("errors", []))
    return {e["field"] for e in body.get("errors", [])}


CASES = [
    ("location.lat", 91.5, "location.lat"),
    ("location.lat", -90.01, "location.lat"),
    ("location.lon", 181, "location.lon"),
    ("location.lat", "45.1", "location.lat"),
    ("location.lat", ..., "location.lat"),
    ("category", "no-such-category", "category"),
    ("category", ..., "category"),
    ("description", "", "description"),
    ("description", "   \n ", "description"),
    ("description", "x" * 5001, "description"),
    ("consent", ..., "consent"),
    ("consent.police", ..., "consent.police"),
    ("consent.public_statistics", ..., "consent.public_statistics"),
    ("consent.police", "yes", "consent.police"),
    ("when", {"kind": "at", "from": "yesterday evening"}, "when.from"),
    ("when", {"kind": "at"}, "when.from"),
    ("when", {"kind": "at", "from": "2099-01-01T10:00:00+01:00"}, "when.from"),
    (
        "when",
        {"kind": "range", "from": "2026-01-02T10:00:00+01:00", "to": "2026-01-01T10:00:00+01:00"},
        "when.to",
    ),
    ("when", {"kind": "soon"}, "when.kind"),
    ("location", {"kind": "area", "area": "ZZZ"}, "location.area"),
    ("location", {"kind": "somewhere"}, "location.kind"),
    ("language", "de", "language"),
    ("unexpected", 1, "unexpected"),
    ("location.precision_m", 0, "location.precision_m"),
]


@pytest.mark.parametrize(("path", "value", "field"), CASES)
def test_bad_field_is_named(client: Client, report_json: dict[str, Any], path: str, value: Any, field: str) -> None:
    resp = post(client, with_(report_json, path, value))
    assert resp.status_code == 422, resp.content
    assert field in fields(resp)
    assert Report.objects.count() == 0


def test_point_outside_the_city_is_refused(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(client, with_(report_json, "location", {"kind": "point", "lat": 48.8566, "lon": 2.3522}))
    assert resp.status_code == 422
    assert fields(resp) == {"location.lat"}
    assert "outside" in resp.json()["errors"][0]["detail"]


def test_contact_given_without_permission_is_refused_not_dropped(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(client, {**report_json, "contact": {"email": "ada@example.org"}})
    assert resp.status_code == 422
    assert fields(resp) == {"consent.contact"}


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"email": "not-an-address"}, "contact.email"),
        ({"phone": "call me maybe"}, "contact.phone"),
    ],
)
def test_bad_contact_details_are_named(
    client: Client, report_json: dict[str, Any], contact: dict[str, str], field: str
) -> None:
    body = with_(report_json, "consent.contact", True)
    resp = post(client, {**body, "contact": contact})
    assert resp.status_code == 422
    assert fields(resp) == {field}


def test_all_bad_fields_are_reported_at_once(client: Client, report_json: dict[str, Any]) -> None:
    body = with_(with_(report_json, "category", "nope"), "description", "")
    resp = post(client, body)
    assert fields(resp) == {"category", "description"}


def test_malformed_json_is_a_400(client: Client) -> None:
    resp = post(client, '{"category": "theft-bike",')
    assert resp.status_code == 400
    assert resp["Content-Type"] == "application/problem+json"


def test_wrong_json_type_is_a_422(client: Client) -> None:
    resp = post(client, "[1, 2, 3]")
    assert resp.status_code in (400, 422)
    assert resp["Content-Type"] == "application/problem+json"


def test_feeling_report_needs_a_score(client: Client, report_json: dict[str, Any]) -> None:
    body = {**report_json, "category": "unsafe", "description": ""}
    resp = post(client, body)
    assert resp.status_code == 422
    assert fields(resp) == {"feeling.safety_score"}


def test_feeling_score_must_be_1_to_5(client: Client, report_json: dict[str, Any]) -> None:
    body = {**report_json, "category": "unsafe", "feeling": {"safety_score": 9}}
    assert fields(post(client, body)) == {"feeling.safety_score"}


def test_rate_limit_answers_429_with_retry_after(client: Client, report_json: dict[str, Any], settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "2/1m"}
    assert post(client, report_json).status_code == 201
    assert post(client, report_json).status_code == 201
    resp = post(client, report_json)
    assert resp.status_code == 429
    assert int(resp["Retry-After"]) >= 1
    assert resp["Content-Type"] == "application/problem+json"
    assert Report.objects.count() == 2


def test_unknown_api_path_is_a_problem_404(client: Client) -> None:
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404


@pytest.mark.parametrize("path", ["description", "location.address", "category"])
def test_nul_character_is_refused_by_name(client: Client, report_json: dict[str, Any], path: str) -> None:
    body = with_(report_json, path, "bike\x00stolen")
    if path == "location.address":
        body["location"]["address"] = "Via Roma\x001"
    resp = post(client, body)
    assert resp.status_code == 422
    assert fields(resp) == {"location.address" if path == "location.address" else path}
