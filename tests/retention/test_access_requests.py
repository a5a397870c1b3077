"""A city administrator answers a person's request by e-mail address: finds their reports through
the blind index, exports or erases them; each read and erasure is audited with the reason, never
with the address. Nobody else may open the screen."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.reports.models import Report, ReportContact
from tests.staff import member, signed_in

from .conftest import EMAIL, FileReport

pytestmark = pytest.mark.django_db

URL = "/control/data-requests/"
REASON = "Letter of 3 May, file 2026-118"


@pytest.fixture
def admin_client() -> Client:
    return signed_in(member("city-safety", "city_admin"))


def test_the_admin_finds_the_reports_of_an_address(admin_client: Client, file_report: FileReport) -> None:
    mine, other = file_report(), file_report(email="someone.else@example.org")
    page = admin_client.post(URL, {"email": "  victim@EXAMPLE.org ", "reason": REASON})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert mine.report.reference in html and other.report.reference not in html
    [entry] = AuditEntry.objects.filter(action="report.access_request_found")
    assert entry.target_id == str(mine.report.pk) and entry.data == {"reason": REASON}
    assert "victim@" not in json.dumps(list(AuditEntry.objects.values_list("data", flat=True))).lower()


def test_a_reason_is_required(admin_client: Client, file_report: FileReport) -> None:
    file_report()
    assert admin_client.post(URL, {"email": EMAIL, "reason": " "}).status_code == 400
    assert not AuditEntry.objects.filter(action="report.access_request_found").exists()


def test_the_admin_exports_the_chosen_reports(admin_client: Client, file_report: FileReport) -> None:
    mine, other = file_report(), file_report(email="someone.else@example.org")
    resp = admin_client.post(
        "/control/data-requests/export/",
        {"email": EMAIL, "reason": REASON, "report": [mine.report.pk, other.report.pk]},
    )
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    [document] = json.loads(resp.content)["reports"]  # the other address's report cannot be slipped in
    assert document["reference"] == mine.report.reference and document["contact"]["email"] == EMAIL
    exported = AuditEntry.objects.get(action="report.exported")
    assert exported.data == {"by": "access_request", "reason": REASON} and exported.target_id == str(mine.report.pk)
    assert AuditEntry.objects.get(action="report.contact_read").data["purpose"] == f"access request: {REASON}"


def test_the_admin_erases_after_confirming(admin_client: Client, file_report: FileReport) -> None:
    mine = file_report()
    form = {"email": EMAIL, "reason": REASON, "report": [mine.report.pk]}
    confirm = admin_client.post("/control/data-requests/erase/", form)
    assert confirm.status_code == 200 and 'id="erase-confirm"' in confirm.content.decode()
    assert ReportContact.objects.filter(report=mine.report).exists()  # not yet

    done = admin_client.post("/control/data-requests/erase/", {**form, "confirmed": "yes"})
    assert done.status_code == 200 and 'id="erased"' in done.content.decode()
    report = Report.objects.get(pk=mine.report.pk)
    assert report.anonymised_by == "request" and report.description == ""
    assert not ReportContact.objects.filter(report=report).exists()
    [entry] = AuditEntry.objects.filter(action="report.erased")
    assert entry.data["reason"] == REASON and entry.data["by"] == "request" and entry.actor is not None


@pytest.mark.parametrize(
    ("method", "path"), [("get", URL), ("post", URL), ("post", f"{URL}export/"), ("post", f"{URL}erase/")]
)
def test_only_city_administrators_get_in(file_report: FileReport, method: str, path: str) -> None:
    mine = file_report()
    form = {"email": EMAIL, "reason": REASON, "report": [mine.report.pk], "confirmed": "yes"}
    for role in ("case_worker", "supervisor", "analyst"):
        client = signed_in(member("police", role, username=f"police-{role}"))
        assert getattr(client, method)(path, form).status_code == 403
    assert getattr(Client(), method)(path, form).status_code == 302  # to the sign-in page
    assert ReportContact.objects.filter(report=mine.report).exists()
    assert not AuditEntry.objects.filter(action__in=["report.access_request_found", "report.exported"]).exists()
