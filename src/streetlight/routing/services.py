"""Writes of the routing app: routing a report, moving an assignment along, escalating late ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.core import versions
from streetlight.live.services import event_publish
from streetlight.reports.models import Report

from .deadlines import deadline
from .matching import ROUTING_VERSION_KEY, candidates, consented_scopes
from .models import Agency, Assignment, DeadlinePolicy


@dataclass(frozen=True)
class DeadlineTerms:
    amount: int
    unit: str
    working_time: bool


DEFAULT_TERMS = DeadlineTerms(amount=5, unit="days", working_time=True)


class StaleUpdate(Exception):
    """Someone changed the assignment since the caller read it."""


def _deadline_policies() -> dict[int | None, DeadlinePolicy]:
    return {policy.category_id: policy for policy in DeadlinePolicy.objects.all()}


# Every policy by category (None: the default), kept per process like the compiled rules.
deadline_policies = versions.ProcessMemo(ROUTING_VERSION_KEY, _deadline_policies)


def deadline_terms(report: Report) -> DeadlineTerms:
    """The category's own policy, else its main category's, else the default policy."""
    category = report.category
    keys = [k for k in (category.pk, category.parent_id) if k is not None]
    policies = deadline_policies.get()
    for key in (*keys, None):
        if key in policies:
            policy = policies[key]
            return DeadlineTerms(amount=policy.amount, unit=policy.unit, working_time=policy.working_time)
    return DEFAULT_TERMS


def _deadlines(report: Report, start: datetime) -> tuple[datetime, datetime]:
    """The deadline, and the moment the assignment becomes "3× late"."""
    terms = deadline_terms(report)
    tz = ZoneInfo(settings.TIME_ZONE)
    due = deadline(start, amount=terms.amount, unit=terms.unit, working_time=terms.working_time, tz=tz)
    three_times = deadline(start, amount=terms.amount * 3, unit=terms.unit, working_time=terms.working_time, tz=tz)
    return due, three_times


def _new_assignments(report: Report, now: datetime, scopes: frozenset[str], existing: set[int]) -> list[Assignment]:
    """The assignments the rules and the reporter's consent (`scopes`, not empty) give this report,
    not yet saved."""
    due, late_after = _deadlines(report, now)
    return [
        Assignment(
            report=report,
            agency=candidate.agency,
            consent_scope=candidate.agency.consent_scope,
            created_at=now,
            updated_at=now,
            deadline_at=due,
            late_after=late_after,
        )
        for candidate in candidates(report)
        if candidate.allowed and candidate.agency.pk not in existing and candidate.agency.consent_scope in scopes
    ]


@transaction.atomic(savepoint=False)  # a step of the report's processing: no savepoint round trips
def report_route(*, report: Report, now: datetime | None = None, new_report: bool = False) -> list[Assignment]:
    """Create the report's assignments: every agency the rules name that the reporter's consent
    allows, and nothing else. Idempotent: an agency already assigned is left as it is.

    `new_report`: the intake, which has just created the report, routes it in the same transaction;
    there is no assignment to look for, and its own audit entry ("report.created") names the agencies,
    so routing writes none."""
    now = now or timezone.now()
    scopes = consented_scopes(report)
    if not scopes:
        return []  # statistics only: no agency queue, ever
    existing = (
        set() if new_report else set(Assignment.objects.filter(report=report).values_list("agency_id", flat=True))
    )
    created = Assignment.objects.bulk_create(_new_assignments(report, now, scopes, existing))
    if created:
        event_publish(kind="report.routed", report_id=report.pk, agency_ids=[a.agency_id for a in created])
        if not new_report:
            audit.record(
                actor=None,
                action="report.routed",
                target=report,
                data={"agencies": [a.agency.code for a in created]},
            )
    return created


@transaction.atomic
def reports_route_history(*, reports: list[Report]) -> int:
    """Route reports that were written in bulk as past history (the demo city's year), by the same
    rules and consent as `report_route`, each from its own creation time, in one insert. They are
    news to no screen, so no live event is sent; the caller's one audit entry covers the batch."""
    existing: dict[int, set[int]] = {}
    for report_id, agency_id in Assignment.objects.filter(report__in=reports).values_list("report_id", "agency_id"):
        existing.setdefault(report_id, set()).add(agency_id)
    new = [
        assignment
        for report in reports
        if (scopes := consented_scopes(report))  # statistics only: no agency queue, ever
        for assignment in _new_assignments(report, report.created_at, scopes, existing.get(report.pk, set()))
    ]
    return len(Assignment.objects.bulk_create(new, batch_size=1000))


class ConsentRefused(Exception):
    """The reporter did not agree to share the report with this kind of agency."""


@transaction.atomic
def report_assign(*, report: Report, agency: Agency, actor: User) -> Assignment:
    """Send a report to one more agency by hand — only as far as the reporter's consent allows."""
    if not agency.active or agency.consent_scope not in consented_scopes(report):
        raise ConsentRefused(agency.code)
    existing = Assignment.objects.filter(report=report, agency=agency).first()
    if existing is not None:
        return existing
    now = timezone.now()
    due, late_after = _deadlines(report, now)
    assignment = Assignment.objects.create(
        report=report,
        agency=agency,
        consent_scope=agency.consent_scope,
        created_at=now,
        updated_at=now,
        deadline_at=due,
        late_after=late_after,
    )
    event_publish(kind="report.routed", report_id=report.pk, agency_ids=[agency.pk])
    audit.record(actor=actor, action="report.assigned", target=report, data={"agency": agency.code})
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    actor: User,
    expected_version: int,
    status: str | None = None,
    assignee: User | None = None,
) -> Assignment:
    """Change an assignment's status or assignee. A stale `expected_version` (someone else changed it
    first) raises StaleUpdate, so no change is ever silently overwritten."""
    updated = Assignment.objects.filter(pk=assignment.pk, version=expected_version).update(
        status=status or assignment.status,
        assignee=assignee if assignee is not None else assignment.assignee,
        version=expected_version + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleUpdate(assignment.pk)
    assignment.refresh_from_db()
    event_publish(kind="assignment.updated", report_id=assignment.report_id, agency_ids=[assignment.agency_id])
    audit.record(
        actor=actor,
        action="assignment.updated",
        target=assignment,
        data={"status": assignment.status, "assignee": assignment.assignee_id},
    )
    return assignment


@transaction.atomic
def assignments_escalate(*, now: datetime | None = None) -> list[Assignment]:
    """Mark open assignments past their deadline as escalated, once; the caller tells supervisors."""
    now = now or timezone.now()
    due = Assignment.objects.select_for_update().filter(
        deadline_at__lt=now, escalated_at__isnull=True, status__in=["new", "accepted", "in_progress"]
    )
    escalated = []
    for assignment in due:
        assignment.escalated_at = now
        assignment.save(update_fields=["escalated_at"])
        audit.record(
            actor=None,
            action="assignment.escalated",
            target=assignment,
            data={"agency": assignment.agency_id, "deadline": assignment.deadline_at.isoformat()},
        )
        escalated.append(assignment)
    return escalated
