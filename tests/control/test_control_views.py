"""The control room through the real Django stack: each role sees and does only what it may."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.control.models import Note
from streetlight.reports.models import Report
from streetlight.routing.models import Agency
from streetlight.routing.services import report_route
from tests.staff import PASSWORD, member, signed_in

pytestmark = pytest.mark.django_db


def matrix_user(who: str, officer: User, outsider: User) -> User:
    """The user of one row of the role matrix: the assigned agency's officer, another agency's
    worker, the assigned agency's analyst, or someone in no agency."""
    if who == "officer":
        return officer
    if who == "outsider":
        return outsider
    if who == "analyst":
        return member("police", "analyst")
    return User.objects.create_user("nobody", password=PASSWORD)


@pytest.fixture
def report(client: Client, report_json: dict[str, Any]) -> Report:
    """A bike theft shared with the police only, with contact details."""
    body = {
        **report_json,
        "consent": {**report_json["consent"], "contact": True},
        "contact": {"email": "victim@example.org"},
    }
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    report_route(report=report)
    return report


@pytest.fixture
def officer() -> User:
    return member("police", "case_worker")


@pytest.fixture
def outsider() -> User:
    return member("victim-support", "case_worker")


def test_queue_lists_the_agencys_reports(report: Report, officer: User) -> None:
    page = signed_in(officer).get("/control/")
    assert page.status_code == 200
    assert report.reference in page.content.decode()


def test_queue_filters(report: Report, officer: User) -> None:
    client = signed_in(officer)
    assert report.reference in client.get("/control/", {"category": "theft"}).content.decode()
    assert report.reference not in client.get("/control/", {"category": "hate"}).content.decode()
    assert report.reference in client.get("/control/", {"q": report.reference}).content.decode()
    assert report.reference not in client.get("/control/", {"deadline": "late"}).content.decode()


# role × endpoint: (method, path template, expected status for the officer, for others)
ENDPOINTS = [
    ("get", "/control/rows/{id}/", 200, 404),
    ("get", "/control/reports/{id}/", 200, 404),
    ("post", "/control/reports/{id}/reply/", 302, 404),
    ("post", "/control/reports/{id}/note/", 302, 404),
    ("post", "/control/reports/{id}/contact/", 200, 404),
    ("post", "/control/reports/{id}/status/", 302, 404),
]
DATA = {"body": "We are looking into it.", "purpose": "call back", "status": "in_progress"}


@pytest.mark.parametrize(("method", "path", "ok", "denied"), ENDPOINTS)
@pytest.mark.parametrize("who", ["officer", "outsider", "analyst", "no-agency"])
def test_role_by_endpoint_matrix(
    report: Report, officer: User, outsider: User, who: str, method: str, path: str, ok: int, denied: int
) -> None:
    user = matrix_user(who, officer, outsider)
    client = signed_in(user)
    url = path.format(id=report.pk)
    resp = client.get(url) if method == "get" else client.post(url, DATA)
    assert resp.status_code == (ok if who == "officer" else denied)
    if who != "officer":
        assert report.reference not in resp.content.decode()


@pytest.mark.parametrize("path", ["/control/", "/control/reports/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code in (302, 403)
    if resp.status_code == 302:
        assert resp["Location"].startswith("/accounts/login/")


def test_stale_status_change_is_a_409_and_changes_nothing(report: Report, officer: User) -> None:
    client = signed_in(officer)
    seen = report.updated_at.isoformat()
    assert (
        client.post(
            f"/control/reports/{report.pk}/status/", {"status": "in_progress", "seen_updated_at": seen}
        ).status_code
        == 302
    )
    resp = client.post(f"/control/reports/{report.pk}/status/", {"status": "rejected", "seen_updated_at": seen})
    assert resp.status_code == 409
    report.refresh_from_db()
    assert report.status == "in_progress"


def test_reply_reaches_the_anonymous_reporter(officer: User, client: Client, report_json: dict[str, Any]) -> None:
    created = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()
    report = Report.objects.select_related("category__parent", "area").get(reference=created["reference"])
    report_route(report=report)
    signed_in(officer).post(f"/control/reports/{report.pk}/reply/", {"body": "Do you know the frame number?"})
    followup = client.get("/api/v1/followup", headers={"Authorization": f"Bearer {created['followup_token']}"})
    assert [m["body"] for m in followup.json()["messages"]] == ["Do you know the frame number?"]


def test_agency_only_note_is_hidden_from_other_agencies(report: Report, officer: User, outsider: User) -> None:
    police = Agency.objects.get(code="police")
    signed_in(officer).post(f"/control/reports/{report.pk}/note/", {"body": "CCTV requested", "agency": police.pk})
    assert Note.objects.get().agency == police
    # Give victim support an assignment too: it still must not read the police-only note.
    report.share_victim_support = True
    report.save(update_fields=["share_victim_support"])
    report_route(report=report)
    page = signed_in(outsider).get(f"/control/reports/{report.pk}/")
    assert page.status_code == 200
    assert "CCTV requested" not in page.content.decode()


def test_contact_details_need_a_reason_and_are_audited(report: Report, officer: User) -> None:
    client = signed_in(officer)
    assert client.post(f"/control/reports/{report.pk}/contact/", {"purpose": ""}).status_code == 400
    page = client.post(f"/control/reports/{report.pk}/contact/", {"purpose": "ask for the frame number"})
    assert "victim@example.org" in page.content.decode()
    entry = AuditEntry.objects.get(action="report.contact_read")
    assert (entry.actor, entry.data["purpose"]) == (officer, "ask for the frame number")


def _another(client: Client, report_json: dict[str, Any], **changes: Any) -> Report:
    body = {**report_json, **changes}
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    report_route(report=report)
    return report


def test_nearby_similar_report_is_suggested_and_merged(
    report: Report, officer: User, client: Client, report_json: dict[str, Any]
) -> None:
    twin = _another(client, report_json, description="Bike stolen from the rack in front of the station")
    staff = signed_in(officer)
    page = staff.get(f"/control/reports/{twin.pk}/").content.decode()
    assert "Possible duplicates" in page and report.reference in page
    assert staff.post(f"/control/reports/{twin.pk}/merge/", {"into": report.pk}).status_code == 302
    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id) == ("merged", report.pk)
    staff.post(f"/control/reports/{report.pk}/reply/", {"body": "We found a bike matching both reports."})
    assert "We found a bike matching both reports." in [m.body for m in twin.messages.all()]  # bodies are encrypted


def test_merge_into_itself_is_refused(report: Report, officer: User) -> None:
    resp = signed_in(officer).post(f"/control/reports/{report.pk}/merge/", {"into": report.pk})
    assert resp.status_code == 400
    report.refresh_from_db()
    assert report.status == "received"


def test_far_away_report_is_not_suggested(
    report: Report, officer: User, client: Client, report_json: dict[str, Any]
) -> None:
    from streetlight.reports.geo import area_index

    index = area_index()
    assert index is not None
    far = index.centroid(index.codes[-1])
    other = _another(client, report_json, location={"kind": "point", "lat": far[0], "lon": far[1]})
    assert report.reference not in signed_in(officer).get(f"/control/reports/{other.pk}/").content.decode()


def test_bulk_status_change_reports_each_result(
    report: Report, officer: User, client: Client, report_json: dict[str, Any]
) -> None:
    second = _another(client, report_json)
    staff = signed_in(officer)
    staff.post(f"/control/reports/{second.pk}/status/", {"status": "rejected"})
    resp = staff.post("/control/bulk/", {"reports": [report.pk, second.pk], "status": "in_progress"})
    assert resp.status_code == 200
    report.refresh_from_db()
    second.refresh_from_db()
    assert (report.status, second.status) == ("in_progress", "rejected")
    assert "cannot go from rejected to in_progress" in resp.content.decode()


def test_bulk_ignores_reports_the_user_may_not_see(report: Report, outsider: User) -> None:
    resp = signed_in(outsider).post("/control/bulk/", {"reports": [report.pk], "status": "in_progress"})
    report.refresh_from_db()
    assert report.status == "received"
    assert report.reference not in resp.content.decode()


@pytest.mark.parametrize("who", ["officer", "outsider", "analyst", "no-agency"])
@pytest.mark.parametrize("channel", ["api-list", "api-one", "export", "search"])
def test_other_channels_follow_the_same_rule(
    report: Report, officer: User, outsider: User, who: str, channel: str
) -> None:
    user = matrix_user(who, officer, outsider)
    client = signed_in(user)
    url = {
        "api-list": "/api/v1/control/reports",
        "api-one": f"/api/v1/control/reports/{report.pk}",
        "export": "/control/export.csv",
        "search": f"/control/?q={report.reference}",
    }[channel]
    resp = client.get(url)
    page = resp.content.decode()
    # The search box echoes what was typed, so for search look for the row itself.
    visible = f'id="report-{report.pk}"' in page if channel == "search" else report.reference in page
    assert visible is (who == "officer")
    if channel == "api-one" and who != "officer":
        assert resp.status_code == 404


def test_export_is_audited_and_has_no_contact_details(report: Report, officer: User) -> None:
    body = signed_in(officer).get("/control/export.csv").content.decode()
    assert body.startswith("reference,")
    assert "victim@example.org" not in body
    assert AuditEntry.objects.filter(action="reports.exported", actor=officer).exists()


def test_staff_api_needs_a_session(client: Client) -> None:
    assert client.get("/api/v1/control/reports").status_code == 401


def test_joint_case_links_reports_and_each_agency_sees_only_its_own(
    report: Report, officer: User, outsider: User, client: Client, report_json: dict[str, Any]
) -> None:
    shared = {**report_json["consent"], "victim_support": True}
    both = _another(client, report_json, consent=shared, category="violence-threats", description="He threatened me")
    resp = signed_in(officer).post("/control/cases/", {"reports": [report.pk, both.pk], "title": "Station area"})
    assert resp.status_code == 302
    case_url = resp["Location"]
    police_page = signed_in(officer).get(case_url).content.decode()
    assert report.reference in police_page and both.reference in police_page
    support_page = signed_in(outsider).get(case_url).content.decode()
    assert both.reference in support_page and report.reference not in support_page
    assert "1 more report in this case was not shared with your agency." in support_page
    signed_in(outsider).post(case_url + "note/", {"body": "We are supporting the victim."})
    assert "We are supporting the victim." in signed_in(officer).get(case_url).content.decode()


def test_a_case_needs_two_visible_reports(report: Report, officer: User) -> None:
    resp = signed_in(officer).post("/control/cases/", {"reports": [report.pk], "title": "Lonely"})
    assert resp.status_code == 400


def test_split_makes_a_new_routed_report_and_tells_the_reporter(report: Report, officer: User) -> None:
    from django_tasks_db.models import DBTaskResult

    resp = signed_in(officer).post(
        f"/control/reports/{report.pk}/split/",
        {"category": "violence-threats", "description": "The thief also threatened a passer-by."},
    )
    assert resp.status_code == 302
    new = Report.objects.get(split_from=report)
    assert (new.category.code, new.share_police, new.status) == ("violence-threats", True, "received")
    assert any(new.reference in m.body for m in report.messages.all())  # bodies are encrypted
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__report_id=new.pk).exists()


def test_split_needs_a_known_category(report: Report, officer: User) -> None:
    resp = signed_in(officer).post(f"/control/reports/{report.pk}/split/", {"category": "nope", "description": "x"})
    assert resp.status_code == 400
    assert not Report.objects.filter(split_from=report).exists()


def test_reporter_who_agreed_gets_replies_and_resolution_by_email(report: Report, officer: User) -> None:
    from django.core import mail

    from streetlight.notify.services import reporter_email_send

    staff = signed_in(officer)
    staff.post(f"/control/reports/{report.pk}/reply/", {"body": "Which colour is the bike?"})
    assert reporter_email_send(report_id=report.pk, kind="reply", text="Which colour is the bike?")
    assert mail.outbox[-1].to == ["victim@example.org"]
    assert "Which colour is the bike?" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="report.contact_read", actor=None).exists()


def test_no_email_without_consent(client: Client, report_json: dict[str, Any]) -> None:
    from streetlight.notify.services import reporter_email_send

    ref = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()
    report = Report.objects.get(reference=ref["reference"])
    assert reporter_email_send(report_id=report.pk, kind="reply", text="hello") is False


def test_audit_entries_say_from_where(report: Report, officer: User) -> None:
    signed_in(officer).post(
        f"/control/reports/{report.pk}/note/", {"body": "checked", "agency": ""}, REMOTE_ADDR="203.0.113.7"
    )
    assert AuditEntry.objects.get(action="report.note_added").source_address == "203.0.113.7"


def test_member_takes_the_assignment_and_a_stale_form_gets_409(report: Report, officer: User) -> None:
    from streetlight.routing.models import Assignment

    colleague = member("police", "operator")
    assignment = Assignment.objects.get(report=report)
    form = {"agency": assignment.agency_id, "version": assignment.version, "status": "accepted", "assignee": officer.pk}
    assert signed_in(officer).post(f"/control/reports/{report.pk}/assignment/", form).status_code == 302
    stale = signed_in(colleague).post(f"/control/reports/{report.pk}/assignment/", {**form, "status": "declined"})
    assert stale.status_code == 409
    assignment.refresh_from_db()
    assert (assignment.status, assignment.assignee) == ("accepted", officer)


def test_assignee_must_belong_to_the_agency(report: Report, officer: User, outsider: User) -> None:
    from streetlight.routing.models import Assignment

    assignment = Assignment.objects.get(report=report)
    resp = signed_in(officer).post(
        f"/control/reports/{report.pk}/assignment/",
        {"agency": assignment.agency_id, "version": assignment.version, "status": "accepted", "assignee": outsider.pk},
    )
    assert resp.status_code == 400


def test_live_row_respects_the_screens_filters(report: Report, officer: User) -> None:
    client = signed_in(officer)
    assert client.get(f"/control/rows/{report.pk}/", {"category": "theft"}).status_code == 200
    assert client.get(f"/control/rows/{report.pk}/", {"category": "hate"}).status_code == 404


def test_operator_sends_the_report_to_another_consented_agency(report: Report, officer: User) -> None:
    from streetlight.routing.models import Assignment

    other_police = Agency.objects.create(
        code="state-police", name="State police", kind="police", consent_scope="police"
    )
    support = Agency.objects.get(code="victim-support")
    page = signed_in(officer).get(f"/control/reports/{report.pk}/").content.decode()
    offered = page.split("also-title")[-1].split("</section>")[0]
    assert "State police" in offered and "Portavera Victim Support" not in offered
    resp = signed_in(officer).post(f"/control/reports/{report.pk}/agency/", {"agency": other_police.pk})
    assert resp.status_code == 302
    assert Assignment.objects.filter(report=report, agency=other_police).exists()
    refused = signed_in(officer).post(f"/control/reports/{report.pk}/agency/", {"agency": support.pk})
    assert refused.status_code == 400
    assert not Assignment.objects.filter(report=report, agency=support).exists()
