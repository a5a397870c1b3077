"""Reads for the public transparency page: counts only, each small one suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.reports.models import Report
from streetlight.reports.retention import PolicyRow, policy_rows
from streetlight.routing.enums import AgencyKind
from streetlight.routing.models import Assignment, Membership
from streetlight.triage.models import TriageModel

from .models import Forecast


def min_count() -> int:
    """The smallest count a public page shows (k); smaller ones read "fewer than k"."""
    return int(settings.STREETLIGHT["PUBLIC_MIN_COUNT"])


@dataclass(frozen=True)
class Shown:
    """A public count: the value, or None when it is under k and must not be shown."""

    value: int | None

    @classmethod
    def of(cls, count: int) -> Shown:
        return cls(count if count == 0 or count >= min_count() else None)


@dataclass(frozen=True)
class AgencyKindCounts:
    kind: str
    label: str
    forwarded: Shown
    done: Shown
    declined: Shown
    open: Shown


@dataclass(frozen=True)
class Transparency:
    since: datetime
    received: Shown
    statistics_only: Shown
    by_agency_kind: list[AgencyKindCounts]
    model: TriageModel | None
    forecast: Forecast | None
    min_count: int
    retention: list[PolicyRow]


def transparency(*, now: datetime | None = None, days: int = 365) -> Transparency:
    """What happened to the reports of the last `days`: received, forwarded per kind of agency, and
    what those agencies did with them."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    reports = Report.objects.filter(created_at__gte=since)
    assignments = Assignment.objects.filter(report__created_at__gte=since)
    rows = {
        row["agency__kind"]: row
        for row in assignments.values("agency__kind").annotate(
            forwarded=Count("report", distinct=True),
            done=Count("pk", filter=Q(status="done")),
            declined=Count("pk", filter=Q(status="declined")),
            open=Count("pk", filter=Q(status__in=["new", "accepted", "in_progress"])),
        )
    }
    kinds = [
        AgencyKindCounts(
            kind=kind.value,
            label=str(kind.label),
            forwarded=Shown.of(rows[kind.value]["forwarded"]),
            done=Shown.of(rows[kind.value]["done"]),
            declined=Shown.of(rows[kind.value]["declined"]),
            open=Shown.of(rows[kind.value]["open"]),
        )
        for kind in AgencyKind
        if kind.value in rows
    ]
    return Transparency(
        since=since,
        received=Shown.of(reports.count()),
        statistics_only=Shown.of(reports.filter(assignments__isnull=True).count()),
        by_agency_kind=kinds,
        model=TriageModel.objects.defer("payload").filter(active=True).first(),
        forecast=Forecast.objects.order_by("-created_at").first(),
        min_count=min_count(),
        retention=policy_rows(),
    )


ANALYSIS_ROLES = frozenset({"analyst", "supervisor", "agency_admin", "city_admin"})


def may_analyse(*, user: User | AnonymousUser) -> bool:
    """Analysts, supervisors and administrators see aggregates of the whole city (never a report)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role__in=ANALYSIS_ROLES).exists()
