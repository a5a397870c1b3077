"""Alerts: the resident pressed the button, or did not check in on time. Each walk alerts at most
once per reason; the row lock and the per-reason timestamp make a double tick or a double tap safe."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from streetlight.audit import services as audit

from .. import conf, mail
from ..models import AlertReason, Position, Walk, WalkStatus
from .control_room import control_room_alert


@dataclass
class AlertOutcome:
    fired: bool
    mailed: int = 0
    failed: list[str] = field(default_factory=list)
    reference: str | None = None


@dataclass
class OverdueSummary:
    walks: int = 0
    mailed: int = 0
    failed: int = 0
    reports: int = 0


def map_link(last: Position | None) -> str:
    """The one place an alert e-mail points to: the last known position (the contacts' private link
    cannot be repeated, since only its hash is kept; they have it from the first e-mail)."""
    if last is None:
        return ""
    return str(conf.value("MAP_LINK")).format(lat=f"{last.lat:.5f}", lon=f"{last.lon:.5f}")


def last_position(walk: Walk) -> Position | None:
    return walk.positions.order_by("-recorded_at", "-pk").first()


def _mark(walk_id: int, reason: str, now: datetime) -> Walk | None:
    """Lock the walk and record the alert; None if this reason already fired or the walk is over."""
    walk = Walk.objects.select_for_update().filter(pk=walk_id, purged_at__isnull=True).first()
    if walk is None or walk.finished:
        return None
    stamp = "button_alerted_at" if reason == AlertReason.BUTTON else "overdue_alerted_at"
    if getattr(walk, stamp) is not None:
        return None
    if reason == AlertReason.OVERDUE and walk.status != WalkStatus.ACTIVE:
        return None
    setattr(walk, stamp, now)
    walk.status = WalkStatus.ALERTED
    walk.alert_reason = walk.alert_reason or reason
    walk.save(update_fields=[stamp, "status", "alert_reason"])
    return walk


def walk_alert(*, walk_id: int, reason: str, now: datetime | None = None) -> AlertOutcome:
    """Alert the contacts (and the control room if the resident chose it). The alert is committed
    before the e-mails leave: a crash in between loses e-mails, never sends them twice."""
    now = now or timezone.now()
    with transaction.atomic():
        walk = _mark(walk_id, reason, now)
        if walk is None:
            return AlertOutcome(fired=False)
        last = last_position(walk)
        reference = control_room_alert(walk=walk, reason=reason, last=last) if walk.alert_control_room else None
        contacts = list(walk.contacts.all())
        audit.record(actor=None, action="walk.alerted", target=walk, data={"reason": reason, "contacts": len(contacts)})
    context = {"walk": walk, "reason": reason, "last": last, "map_url": map_link(last)}
    messages = [
        mail.render(template="alert", language=walk.language, to=c.email, context={**context, "contact": c})
        for c in contacts
    ]
    failed = mail.send_each(messages)
    return AlertOutcome(
        fired=True, mailed=len(messages) - len(failed), failed=[m.to for m in failed], reference=reference
    )


def walk_overdue_check(*, walk_id: int, now: datetime | None = None) -> AlertOutcome:
    """One walk's timer, set for its expected arrival plus the grace: alerts only if the walk is still
    active and overdue, so an extension or a check-in since the timer was set leaves it quiet."""
    now = now or timezone.now()
    due = Walk.objects.filter(
        pk=walk_id,
        status=WalkStatus.ACTIVE,
        expected_arrival__lte=now - conf.minutes("GRACE_MINUTES"),
        overdue_alerted_at__isnull=True,
    ).exists()
    return walk_alert(walk_id=walk_id, reason=AlertReason.OVERDUE, now=now) if due else AlertOutcome(fired=False)


def walk_timer_set(walk: Walk) -> None:
    """After commit, queue the walk's timer for its expected arrival plus the grace, so the worker
    alerts on time; `streetlight tick` (walks_overdue_alert) is the fallback if no worker runs."""
    from ..tasks import walk_overdue_timer  # the task module imports the services

    due = walk.expected_arrival + conf.minutes("GRACE_MINUTES") + timedelta(seconds=1)
    transaction.on_commit(lambda: walk_overdue_timer.using(run_after=due).enqueue(walk_id=walk.pk))


def walks_overdue_alert(*, now: datetime | None = None) -> OverdueSummary:
    """Alert every active walk past its expected arrival plus the grace (run by `streetlight tick`)."""
    now = now or timezone.now()
    cutoff = now - conf.minutes("GRACE_MINUTES")
    summary = OverdueSummary()
    due = Walk.objects.filter(status=WalkStatus.ACTIVE, expected_arrival__lt=cutoff, overdue_alerted_at__isnull=True)
    for walk_id in due.values_list("pk", flat=True):
        outcome = walk_alert(walk_id=walk_id, reason=AlertReason.OVERDUE, now=now)
        if outcome.fired:
            summary.walks += 1
            summary.mailed += outcome.mailed
            summary.failed += len(outcome.failed)
            summary.reports += outcome.reference is not None
    return summary
