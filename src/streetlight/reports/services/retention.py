"""The retention run: per category, wipe the contact details, anonymise, then delete closed reports
once their periods (reports.retention) are over. Run by `streetlight tick` and `streetlight retention
run`; `dry_run` counts what would be done and changes nothing.

Batched and resumable: each report changes in its own transaction, checked again under a lock (a
report reopened meanwhile is left alone), and a run stops after `limit` reports; the next run picks
up the rest. Idempotent: each step selects only reports that still hold what it removes. The three
steps select disjoint periods, so a report due for deletion is not first anonymised, and the
dry-run counts exactly what a run would do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from streetlight.audit import services as audit

from ..enums import Anonymisation
from ..lifecycle import OPEN_STATUSES, Status
from ..models import Category, Report, StatusChange
from ..retention import Policy, batch_size, category_policies
from .erasure import contact_wipe, personal_content_remove, report_delete

#: Every status but the open ones: resolved, closed, rejected, merged.
FINAL = frozenset(s.value for s in Status if s not in OPEN_STATUSES)


@dataclass
class CategoryCounts:
    policy: Policy
    delete: int = 0
    anonymise: int = 0
    contact: int = 0

    @property
    def total(self) -> int:
        return self.delete + self.anonymise + self.contact


@dataclass
class RetentionResult:
    dry_run: bool
    by_category: dict[str, CategoryCounts] = field(default_factory=dict)
    complete: bool = True  # False when the limit stopped the run before the end

    def total(self, step: str) -> int:
        return sum(getattr(counts, step) for counts in self.by_category.values())


def closed_reports() -> QuerySet[Report]:
    """Reports no longer open, annotated with `closed_at`: their last status change, or for a merged
    duplicate the last change of the report it joined, once that one is no longer open either."""
    own = StatusChange.objects.filter(report=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    joined = (
        StatusChange.objects.filter(report=OuterRef("merged_into"), report__status__in=FINAL)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return Report.objects.filter(status__in=FINAL).annotate(
        closed_at=Case(When(merged_into__isnull=False, then=Subquery(joined)), default=Subquery(own))
    )


def _closed(before: datetime) -> Q:
    return Q(closed_at__lte=before)


def _due(category: Category, policy: Policy, now: datetime) -> dict[str, QuerySet[Report]]:
    """The reports of one category due for each step; each period ends where the next one starts."""
    mine = closed_reports().filter(category=category)
    anonymise_before = now - timedelta(days=policy.anonymise_days)
    due: dict[str, QuerySet[Report]] = {}
    if policy.delete_days:
        delete_before = now - timedelta(days=policy.delete_days)
        due["delete"] = mine.filter(_closed(delete_before))
        mine = mine.exclude(_closed(delete_before))
    due["anonymise"] = mine.filter(_closed(anonymise_before), anonymised_at__isnull=True)
    due["contact"] = mine.filter(_closed(now - timedelta(days=policy.contact_days)), contact__isnull=False).exclude(
        _closed(anonymise_before)
    )
    return due


def _apply(report: Report, *, step: str, policy: Policy, now: datetime) -> None:
    if step == "contact":
        contact_wipe(report=report, data={"after_days": policy.contact_days})
    elif step == "anonymise":
        removed = personal_content_remove(report=report, now=now, by=Anonymisation.RETENTION)
        audit.record(
            actor=None,
            action="report.anonymised",
            target=report,
            data={"after_days": policy.anonymise_days, "removed": removed},
            actor_label="retention",
        )
    else:
        report_delete(report=report, now=now, data={"after_days": policy.delete_days})


def _run_step(queryset: QuerySet[Report], budget: int, change: Callable[[Report], None]) -> tuple[int, bool]:
    """Change up to `budget` reports, one transaction each; returns (changed, anything left)."""
    changed = 0
    while changed < budget:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: min(100, budget - changed)])
        if not ids:
            return changed, False
        progressed = False
        for pk in ids:
            with transaction.atomic():
                report = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
                if report is not None:
                    change(report)
                    changed += 1
                    progressed = True
        if not progressed:  # every one was reopened or changed meanwhile: nothing left to do now
            return changed, False
    return changed, queryset.exists()


def retention_run(*, now: datetime | None = None, dry_run: bool = False, limit: int | None = None) -> RetentionResult:
    """Apply every category's retention at `now` (explicit in tests: no frozen clocks)."""
    now = now or timezone.now()
    budget = batch_size() if limit is None else limit
    result = RetentionResult(dry_run=dry_run)
    for category, policy in category_policies():
        counts = CategoryCounts(policy=policy)
        for step, queryset in _due(category, policy, now).items():
            if dry_run:
                setattr(counts, step, queryset.count())
                continue
            done, left = _run_step(queryset, budget, partial(_apply, step=step, policy=policy, now=now))
            budget -= done
            setattr(counts, step, done)
            result.complete = result.complete and not left
        if counts.total:
            result.by_category[category.code] = counts
    return result
