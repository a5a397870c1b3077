"""The needs go only where the report goes: the case worker of an agency the reporter chose sees them
at the top of the report; another agency, the queue rows, the exports, the staff API, the live stream
and public outputs never carry them. The reporter's own download does; erasing removes them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.live.models import StreamEvent
from streetlight.reports.models import Report
from streetlight.reports.services.rights import report_erase_by_reporter
from tests.staff import member, signed_in

from .conftest import FileReport

pytestmark = pytest.mark.django_db

# The labels as the panel shows them ("In danger now?" is on every page, in the emergency banner).
LABELS = ("Someone to talk to", "An interpreter", "needs-panel")


@pytest.fixture
def filed(file_report: FileReport) -> tuple[Report, dict[str, object]]:
    """Asked for someone to talk to and an interpreter (Farsi), in danger; shared with victim support only."""
    return file_report(needs=["in_danger_now", "someone_to_talk_to", "interpreter"], language="Farsi")


def test_routed_only_to_the_agency_the_reporter_chose(filed: tuple[Report, dict[str, object]]) -> None:
    report, _ = filed
    assert set(report.assignments.values_list("agency__code", flat=True)) == {"victim-support"}


def test_case_worker_of_the_assigned_agency_sees_the_needs_panel_near_the_top(
    filed: tuple[Report, dict[str, object]],
) -> None:
    report, _ = filed
    page = signed_in(member("victim-support", "case_worker")).get(f"/control/reports/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    panel = html[html.index('id="needs-panel"') : html.index("</section>", html.index('id="needs-panel"'))]
    assert html.index('id="needs-panel"') < html.index('id="facts-title"')
    assert "panel-needs-urgent" in html
    assert '<span class="badge badge-urgency-immediate">In danger now</span>' in panel
    assert "Someone to talk to" in panel and "An interpreter" in panel and "Farsi" in panel
    assert panel.index("In danger now") < panel.index("Someone to talk to")


def test_operator_of_the_assigned_agency_sees_them_without_signing_in_again(
    filed: tuple[Report, dict[str, object]],
) -> None:
    report, _ = filed
    client = signed_in(member("victim-support", "operator"), recently_confirmed=False)
    page = client.get(f"/control/reports/{report.pk}/")
    assert page.status_code == 200 and 'id="needs-panel"' in page.content.decode()


def test_no_panel_when_nothing_was_asked(file_report: FileReport) -> None:
    report, _ = file_report(needs=[])
    page = signed_in(member("victim-support", "case_worker")).get(f"/control/reports/{report.pk}/")
    assert page.status_code == 200 and 'id="needs-panel"' not in page.content.decode()


@pytest.mark.parametrize("agency", ["police", "social-services", "city-safety"])
def test_another_agency_gets_the_same_404_and_no_needs(filed: tuple[Report, dict[str, object]], agency: str) -> None:
    report, _ = filed
    client = signed_in(member(agency, "case_worker"))
    urls = (f"/control/reports/{report.pk}/", f"/control/rows/{report.pk}/", f"/api/v1/control/reports/{report.pk}")
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert not any(label in resp.content.decode() for label in LABELS), url
        assert "Farsi" not in resp.content.decode()
    listed = client.get("/api/v1/control/reports").content.decode()
    assert report.reference not in listed and "someone_to_talk_to" not in listed
    export = client.get("/control/export.csv").content.decode()
    assert report.reference not in export and "someone_to_talk_to" not in export


def test_queue_rows_staff_api_and_export_never_carry_needs(filed: tuple[Report, dict[str, object]]) -> None:
    """Even for the assigned agency: needs are read on the report's own page, not in lists."""
    report, _ = filed
    client = signed_in(member("victim-support", "case_worker"))
    queue = client.get("/control/").content.decode()
    assert report.reference in queue
    row = client.get(f"/control/rows/{report.pk}/").content.decode()
    for html in (queue, row):
        assert not any(label in html for label in LABELS) and "Farsi" not in html
    api = client.get(f"/api/v1/control/reports/{report.pk}")
    assert api.status_code == 200
    assert "needs" not in api.json() and "someone_to_talk_to" not in api.content.decode()
    export = client.get("/control/export.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [r["reference"] for r in rows] == [report.reference]
    assert "someone_to_talk_to" not in export and "Farsi" not in export


def test_live_stream_events_carry_ids_only(filed: tuple[Report, dict[str, object]]) -> None:
    report, _ = filed
    events = list(StreamEvent.objects.filter(report_id=report.pk).values())
    assert events, "routing publishes an event"
    assert "someone_to_talk_to" not in json.dumps(events, default=str)


def test_needs_stay_out_of_the_audit_log(filed: tuple[Report, dict[str, object]]) -> None:
    dumped = json.dumps(list(AuditEntry.objects.values_list("data", flat=True)))
    assert "someone_to_talk_to" not in dumped and "Farsi" not in dumped


def test_reporters_download_includes_their_needs(filed: tuple[Report, dict[str, object]], client: Client) -> None:
    _report, body = filed
    resp = client.post(f"/f/{body['followup_token']}/download/")
    assert resp.status_code == 200
    assert resp.json()["needs"] == {
        "needs": ["in_danger_now", "someone_to_talk_to", "interpreter"],
        "interpreter_language": "Farsi",
    }
    api = client.get("/api/v1/followup/export", HTTP_AUTHORIZATION=f"Bearer {body['followup_token']}")
    assert api.status_code == 200 and api.json()["needs"]["interpreter_language"] == "Farsi"


def test_erasing_the_report_removes_the_needs(filed: tuple[Report, dict[str, object]]) -> None:
    report, _ = filed
    report_erase_by_reporter(report=report)
    report.refresh_from_db()
    assert (report.needs, report.interpreter_language) == ([], "")
    entry = AuditEntry.objects.filter(action="report.erased", target_id=str(report.pk)).latest("pk")
    assert entry.data["removed"].get("needs") == 1
