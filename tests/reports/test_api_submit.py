"""Submitting a report through the JSON API: stored as given, never lost, never duplicated."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from streetlight.audit.models import AuditEntry
from streetlight.reports.models import FollowupToken, Report, ReportContact
from streetlight.routing.models import Assignment

from .helpers import with_

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"


def post(client: Client, body: Any, **headers: str) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def test_valid_report_is_created_with_a_followup_token(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(client, report_json)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    report = Report.objects.get(reference=body["reference"])
    assert report.category.code == "theft-bike"
    assert report.kind == "crime"
    assert report.status == "received"
    assert report.area is not None
    assert len(body["followup_token"]) >= 32
    assert FollowupToken.objects.filter(report=report).count() == 1
    assert body["followup_token"] not in FollowupToken.objects.get(report=report).token_hash


def test_report_row_task_and_audit_entry_are_committed_together(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(client, report_json)
    report = Report.objects.get(reference=resp.json()["reference"])
    task = DBTaskResult.objects.get(task_path="streetlight.reports.tasks.process_report")
    routed = list(Assignment.objects.filter(report=report).values_list("pk", flat=True))
    assert routed and task.args_kwargs["kwargs"] == {"report_id": report.pk, "routed": routed}
    assert AuditEntry.objects.filter(action="report.created", target_id=str(report.pk)).exists()


def test_created_report_returns_guidance_for_its_category(client: Client, report_json: dict[str, Any]) -> None:
    guidance = post(client, report_json).json()["guidance"]
    assert guidance["what_to_do_now"]
    assert any(s["code"] == "police-non-emergency" or s["phone"] for s in guidance["support"])


@pytest.mark.parametrize(
    "consent",
    [
        {
            "police": False,
            "victim_support": True,
            "social_services": False,
            "city": False,
            "contact": False,
            "public_statistics": False,
        },
        {
            "police": True,
            "victim_support": True,
            "social_services": True,
            "city": True,
            "contact": False,
            "public_statistics": True,
        },
        {
            "police": False,
            "victim_support": False,
            "social_services": False,
            "city": False,
            "contact": False,
            "public_statistics": True,
        },
    ],
)
def test_consent_choices_are_stored_exactly_as_given(
    client: Client, report_json: dict[str, Any], consent: dict[str, bool]
) -> None:
    resp = post(client, {**report_json, "consent": consent})
    assert resp.status_code == 201
    report = Report.objects.get(reference=resp.json()["reference"])
    stored = {
        "police": report.share_police,
        "victim_support": report.share_victim_support,
        "social_services": report.share_social_services,
        "city": report.share_city,
        "contact": report.may_contact,
        "public_statistics": report.public_statistics,
    }
    assert stored == consent


def test_statistics_only_report_has_no_recipient(client: Client, report_json: dict[str, Any]) -> None:
    consent = dict.fromkeys(["police", "victim_support", "social_services", "city", "contact"], False)
    resp = post(client, {**report_json, "consent": {**consent, "public_statistics": True}})
    report = Report.objects.get(reference=resp.json()["reference"])
    assert report.statistics_only and report.recipients == []


def test_contact_details_are_kept_in_their_own_table(client: Client, report_json: dict[str, Any]) -> None:
    body = with_(report_json, "consent.contact", True)
    body["contact"] = {"name": "Ada", "email": "ada@example.org", "phone": "+39 011 555 0101"}
    resp = post(client, body)
    assert resp.status_code == 201
    contact = ReportContact.objects.get(report__reference=resp.json()["reference"])
    assert (contact.name, contact.email, contact.phone) == ("Ada", "ada@example.org", "+39 011 555 0101")


def test_retry_with_same_idempotency_key_returns_the_first_report(client: Client, report_json: dict[str, Any]) -> None:
    first = post(client, report_json, **{"Idempotency-Key": "0f8fad5b-d9cb-469f-a165-70867728950e"})
    again = post(client, report_json, **{"Idempotency-Key": "0f8fad5b-d9cb-469f-a165-70867728950e"})
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1
    # Both tokens open the same report: the first client may have kept either.
    for token in (first.json()["followup_token"], again.json()["followup_token"]):
        resp = client.get("/api/v1/followup", headers={"Authorization": f"Bearer {token}"})
        assert resp.json()["reference"] == first.json()["reference"]


def test_reused_idempotency_key_with_other_content_is_a_conflict(client: Client, report_json: dict[str, Any]) -> None:
    key = {"Idempotency-Key": "key-for-one-report-1234"}
    post(client, report_json, **key)
    resp = post(client, {**report_json, "description": "Something else entirely"}, **key)
    assert resp.status_code == 409
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Report.objects.count() == 1


def test_malformed_idempotency_key_is_refused(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(client, report_json, **{"Idempotency-Key": "no spaces allowed!"})
    assert resp.status_code == 400
    assert resp.json()["errors"] == [{"field": "Idempotency-Key", "detail": resp.json()["errors"][0]["detail"]}]
    assert Report.objects.count() == 0
