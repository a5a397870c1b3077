"""Agencies' API tokens over real HTTP handling: each token reads and changes only its own agency's
reports, only within its scopes, and stops working when it expires or is revoked."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.audit.models import AuditEntry
from streetlight.integrations.models import AgencyToken
from streetlight.integrations.services import agency_token_create, agency_token_revoke
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.models import Report
from streetlight.routing.models import Agency, Assignment
from streetlight.routing.services import report_route
from tests.staff import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(report_json: dict[str, Any]) -> Report:
    """A bike theft shared with the police only."""
    resp = Client().post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    assert resp.status_code == 201
    report = Report.objects.get(reference=resp.json()["reference"])
    report_route(report=report)
    return report


def token(agency: str, scopes: list[str], days: int = 30) -> tuple[AgencyToken, str]:
    return agency_token_create(
        agency=Agency.objects.get(code=agency),
        name=f"{agency} records system",
        scopes=scopes,
        valid_days=days,
        actor=None,
    )


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_reads_its_agencys_reports_only(report: Report) -> None:
    _, police = token("police", ["reports:read"])
    _, support = token("victim-support", ["reports:read"])
    listed = Client().get("/api/v1/control/reports", **bearer(police))  # type: ignore[arg-type]
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [report.pk]
    assert Client().get("/api/v1/control/reports", **bearer(support)).json() == []  # type: ignore[arg-type]
    other = Client().get(f"/api/v1/control/reports/{report.pk}", **bearer(support))  # type: ignore[arg-type]
    assert other.status_code == 404


def test_a_token_acts_within_its_scopes(report: Report) -> None:
    _, read_only = token("police", ["reports:read"])
    assignment = Assignment.objects.get(report=report)
    body = {"agency": "police", "status": "in_progress", "version": assignment.version}
    refused = Client().put(
        f"/api/v1/control/reports/{report.pk}/assignment",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(read_only),  # type: ignore[arg-type]
    )
    assert refused.status_code == 403 and "assignments:write" in refused.json()["detail"]

    writer, raw = token("police", ["assignments:write"])
    changed = Client().put(
        f"/api/v1/control/reports/{report.pk}/assignment",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["assignments"][0]["status"] == "in_progress"
    entry = AuditEntry.objects.filter(actor=writer.account).latest("pk")
    assert entry.target_id == str(assignment.pk) or entry.target_id == str(report.pk)
    stale = Client().put(
        f"/api/v1/control/reports/{report.pk}/assignment",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "version"


def test_a_token_cannot_change_another_agencys_assignment(report: Report) -> None:
    _, raw = token("victim-support", ["assignments:write", "reports:read"])
    body = {"agency": "police", "status": "closed", "version": 1}
    response = Client().put(
        f"/api/v1/control/reports/{report.pk}/assignment",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert response.status_code == 404
    assert Assignment.objects.get(report=report).status != "closed"


def test_expired_revoked_and_forged_tokens_look_alike(report: Report) -> None:
    expired, expired_raw = token("police", ["reports:read"])
    AgencyToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_raw = token("police", ["reports:read"])
    agency_token_revoke(token=revoked, actor=None)
    assert AuditEntry.objects.filter(action="api_token.revoked", target_id=str(revoked.pk)).exists()
    for raw in (expired_raw, revoked_raw, "slt_forged", "x" * 5000):
        response = Client().get("/api/v1/control/reports", **bearer(raw))  # type: ignore[arg-type]
        assert response.status_code == 401


def test_a_tokens_account_cannot_sign_in(report: Report) -> None:
    found, _ = token("police", ["reports:read"])
    assert not found.account.has_usable_password()
    response = Client().post("/accounts/login/", {"username": found.account.username, "password": ""})
    assert response.status_code == 400


def test_tokens_must_end_and_name_their_scopes() -> None:
    police = Agency.objects.get(code="police")
    with pytest.raises(ReportInvalid) as caught:
        agency_token_create(agency=police, name=" ", scopes=["reports:delete"], valid_days=0, actor=None)
    assert set(caught.value.errors) == {"name", "scopes", "valid_days"}


def test_the_admin_shows_a_new_token_once_and_records_its_hash_only(client: Client) -> None:
    from streetlight.accounts.models import User

    admin = User.objects.create_superuser("city-admin", password="x" * 16)
    sign_in(client, admin)
    police = Agency.objects.get(code="police")
    response = client.post(
        "/admin/integrations/agencytoken/add/",
        {"agency": police.pk, "name": "RMS", "scopes": ["reports:read"], "valid_days": 90},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if "slt_" in str(m)]
    assert len(shown) == 1
    raw = shown[0].rsplit(" ", 1)[-1]
    created = AgencyToken.objects.get(name="RMS")
    assert raw not in json.dumps([created.key_hash, created.name])
    assert Client().get("/api/v1/control/reports", **bearer(raw)).status_code == 200  # type: ignore[arg-type]
