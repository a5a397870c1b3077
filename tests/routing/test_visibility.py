"""Who may see a report: members of an assigned agency who work cases — nobody else."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.reports.errors import ReportNotFound
from streetlight.reports.models import Report
from streetlight.routing import selectors
from streetlight.routing.models import Agency, Assignment, Membership
from streetlight.routing.services import StaleUpdate, assignment_update, assignments_escalate, report_route

pytestmark = pytest.mark.django_db


def member(code: str, role: str) -> User:
    user = User.objects.create_user(f"{code}-{role}-user", password="z" * 16)
    Membership.objects.create(user=user, agency=Agency.objects.get(code=code), role=role)
    return user


@pytest.fixture
def routed(client: Client, report_json: dict[str, Any]) -> Report:
    """A bike theft shared with the police only."""
    resp = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    report_route(report=report)
    return report


def test_member_of_the_assigned_agency_sees_the_report(routed: Report) -> None:
    officer = member("police", "case_worker")
    assert list(selectors.report_list_visible_to(user=officer)) == [routed]
    assert selectors.report_get_for_user(user=officer, report_id=routed.pk) == routed


@pytest.mark.parametrize(
    ("code", "role"), [("victim-support", "case_worker"), ("city-safety", "operator"), ("police", "analyst")]
)
def test_others_see_nothing(routed: Report, code: str, role: str) -> None:
    user = member(code, role)
    assert not selectors.report_list_visible_to(user=user).exists()
    with pytest.raises(ReportNotFound):
        selectors.report_get_for_user(user=user, report_id=routed.pk)


def test_a_user_without_membership_sees_nothing_even_as_superuser(routed: Report) -> None:
    root = User.objects.create_superuser("root", password="r" * 16)
    assert not selectors.report_list_visible_to(user=root).exists()


def test_stale_update_is_refused_and_loses_nothing(routed: Report) -> None:
    officer, colleague = member("police", "operator"), member("police", "supervisor")
    assignment = Assignment.objects.get(report=routed)
    assignment_update(assignment=assignment, actor=officer, expected_version=1, status="accepted")
    with pytest.raises(StaleUpdate):
        assignment_update(assignment=assignment, actor=colleague, expected_version=1, status="declined")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.version) == ("accepted", 2)


def test_lateness_flags(routed: Report) -> None:
    assignment = Assignment.objects.get(report=routed)
    assert selectors.assignment_lateness(assignment, now=assignment.created_at) == ""
    assert selectors.assignment_lateness(assignment, now=assignment.deadline_at + timedelta(seconds=1)) == "late"
    assert selectors.assignment_lateness(assignment, now=assignment.late_after) == "late3"
    assert assignment.late_after > assignment.deadline_at > assignment.created_at


def test_late_assignments_escalate_once(routed: Report) -> None:
    assignment = Assignment.objects.get(report=routed)
    later = assignment.deadline_at + timedelta(minutes=1)
    assert len(assignments_escalate(now=later)) == 1
    assert assignments_escalate(now=later + timedelta(hours=1)) == []
    assert AuditEntry.objects.filter(action="assignment.escalated").count() == 1


def test_done_assignment_is_never_late(routed: Report) -> None:
    assignment = Assignment.objects.get(report=routed)
    assignment.status = "done"
    assert selectors.assignment_lateness(assignment, now=timezone.now() + timedelta(days=365)) == ""
