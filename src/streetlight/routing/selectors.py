"""Every read of reports by staff goes through here, already limited to what the user may see."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.reports.errors import ReportNotFound
from streetlight.reports.models import Report

from .enums import CASE_ROLES
from .matching import Candidate, candidates
from .models import Agency, Assignment


def agencies_of(*, user: User | AnonymousUser) -> QuerySet[Agency]:
    """The agencies in which the user works cases (analysts see aggregates, not reports)."""
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user, memberships__role__in=CASE_ROLES, active=True).distinct()


def agency_id_list_of(*, user: User | AnonymousUser) -> list[int]:
    return list(agencies_of(user=user).values_list("pk", flat=True))


def report_list_visible_to(*, user: User) -> QuerySet[Report]:
    """The only way a screen or API gets reports: those assigned to one of the user's agencies,
    which by construction are the ones the reporter agreed to share with that kind of agency."""
    return Report.objects.filter(assignments__agency__in=agencies_of(user=user)).distinct()


def report_get_for_user(*, user: User, report_id: int) -> Report:
    """Fetch and authorise in one call: missing and forbidden look the same."""
    report = report_list_visible_to(user=user).filter(pk=report_id).first()
    if report is None:
        raise ReportNotFound()
    return report


def agency_ids_for_report(*, report_id: int) -> list[int]:
    return list(Assignment.objects.filter(report_id=report_id).values_list("agency_id", flat=True))


def assignment_list_visible_to(*, user: User) -> QuerySet[Assignment]:
    return Assignment.objects.filter(agency__in=agencies_of(user=user)).select_related("report", "agency")


def assignment_lateness(assignment: Assignment, now: datetime | None = None) -> str:
    """'' on time, 'late' past the deadline, 'late3' past three times the allowed time."""
    now = now or timezone.now()
    if assignment.status in {"done", "declined"}:
        return ""
    if now >= assignment.late_after:
        return "late3"
    if now >= assignment.deadline_at:
        return "late"
    return ""


def agencies_allowed_for(*, report: Report) -> QuerySet[Agency]:
    """Agencies the report may still be sent to by hand: active, of a kind the reporter chose."""
    from .matching import consented_scopes

    return Agency.objects.filter(active=True, consent_scope__in=consented_scopes(report)).exclude(
        assignments__report=report
    )


def routing_preview(*, report: Report) -> list[Candidate]:
    """Which agencies would get this report, and which the reporter's consent rules out."""
    return candidates(report)


def assignments_by_id(*, ids: list[int]) -> list[Assignment]:
    """The given assignments with their agency and report, for the notifications they call for."""
    if not ids:
        return []
    return list(Assignment.objects.select_related("agency", "report").filter(pk__in=ids).order_by("pk"))
