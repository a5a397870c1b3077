"""Follow-up by token: status history, public replies, adding information; no token, no access."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.reports import services
from streetlight.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client: Client, report_json: dict[str, Any]) -> dict[str, Any]:
    resp = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    assert resp.status_code == 201
    return resp.json()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_followup_shows_status_history_and_public_replies_only(client: Client, submitted: dict[str, Any]) -> None:
    report = Report.objects.get(reference=submitted["reference"])
    staff = User.objects.create_user("caseworker", password="x" * 16)
    services.report_transition(report=report, to_status="in_progress", actor=staff, public_note="We are on it.")
    services.report_reply(report=report, actor=staff, body="Can you tell us the bike's colour?", public=True)
    services.report_reply(report=report, actor=staff, body="internal: check CCTV", public=False)
    body = client.get("/api/v1/followup", headers=auth(submitted["followup_token"])).json()
    assert body["status"] == "in_progress"
    assert [h["status"] for h in body["history"]] == ["received", "in_progress"]
    assert body["history"][1]["note"] == "We are on it."
    assert [m["body"] for m in body["messages"]] == ["Can you tell us the bike's colour?"]


def test_reporter_adds_information(client: Client, submitted: dict[str, Any]) -> None:
    resp = client.post(
        "/api/v1/followup/messages",
        data=json.dumps({"body": "It was a red bike."}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 201
    body = client.get("/api/v1/followup", headers=auth(submitted["followup_token"])).json()
    assert body["messages"][-1] == {
        "author": "reporter",
        "body": "It was a red bike.",
        "at": body["messages"][-1]["at"],
    }


def test_empty_addition_is_refused(client: Client, submitted: dict[str, Any]) -> None:
    resp = client.post(
        "/api/v1/followup/messages",
        data=json.dumps({"body": "  "}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "body"


def test_closed_report_takes_no_addition(client: Client, submitted: dict[str, Any]) -> None:
    report = Report.objects.get(reference=submitted["reference"])
    services.report_transition(report=report, to_status="resolved", actor=None)
    resp = client.post(
        "/api/v1/followup/messages",
        data=json.dumps({"body": "more"}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 422


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic abc"}])
def test_unknown_or_missing_token_is_401(client: Client, submitted: dict[str, Any], headers: dict[str, str]) -> None:
    resp = client.get("/api/v1/followup", headers=headers)
    assert resp.status_code == 401
    assert resp["Content-Type"] == "application/problem+json"


def test_reporter_rates_a_resolved_report(client: Client, submitted: dict[str, Any]) -> None:
    report = Report.objects.get(reference=submitted["reference"])
    services.report_transition(report=report, to_status="resolved", actor=None, public_note="Bike found.")
    resp = client.post(
        "/api/v1/followup/rating",
        data=json.dumps({"score": 4, "comment": "Quick, thanks"}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 204
    assert report.feedback.get().score == 4


def test_open_report_cannot_be_rated(client: Client, submitted: dict[str, Any]) -> None:
    resp = client.post(
        "/api/v1/followup/rating",
        data=json.dumps({"score": 5}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "score"


@pytest.mark.parametrize("score", [0, 6])
def test_rating_out_of_range_is_refused(client: Client, submitted: dict[str, Any], score: int) -> None:
    report = Report.objects.get(reference=submitted["reference"])
    services.report_transition(report=report, to_status="resolved", actor=None)
    resp = client.post(
        "/api/v1/followup/rating",
        data=json.dumps({"score": score}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 422


def test_reporter_reopens_a_closed_report(client: Client, submitted: dict[str, Any]) -> None:
    report = Report.objects.get(reference=submitted["reference"])
    services.report_transition(report=report, to_status="resolved", actor=None)
    resp = client.post(
        "/api/v1/followup/reopen",
        data=json.dumps({"reason": "The bike is still missing."}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 200
    assert resp.json()["status"] == "reopened"
    assert resp.json()["messages"][-1]["body"] == "The bike is still missing."


def test_open_report_cannot_be_reopened(client: Client, submitted: dict[str, Any]) -> None:
    resp = client.post(
        "/api/v1/followup/reopen",
        data=json.dumps({"reason": "why"}),
        content_type="application/json",
        headers=auth(submitted["followup_token"]),
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "reason"
