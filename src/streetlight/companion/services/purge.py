"""Deleting what a walk leaves behind, on a short schedule (run by `streetlight tick`).

- arrived or ended walks: positions, contacts' e-mails, destination and name are deleted
  POSITION_GRACE_MINUTES (15) after the end;
- alerted walks keep them until the resident ends the walk, or ALERT_KEEP_HOURS (24) after the
  alert, so contacts and responders can act; then the walk is ended and purged;
- active walks are ended MAX_HOURS (6) after they started (then purged after the grace);
- what stays is an anonymous stub (status, times, token hashes) for STUB_DAYS (30), so an old link
  says "this walk has ended" (410) rather than "unknown"; then the row goes too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from streetlight.audit import services as audit

from .. import conf
from ..models import FINISHED, Position, TrustedContact, Walk, WalkStatus


@dataclass
class PurgeSummary:
    ended: int = 0
    purged: int = 0
    positions: int = 0
    stubs: int = 0


@transaction.atomic
def walks_purge(*, now: datetime | None = None) -> PurgeSummary:
    now = now or timezone.now()
    summary = PurgeSummary()
    overlong = Q(status=WalkStatus.ACTIVE, started_at__lt=now - conf.hours("MAX_HOURS"))
    kept_too_long = Q(status=WalkStatus.ALERTED) & (
        Q(overdue_alerted_at__lt=now - conf.hours("ALERT_KEEP_HOURS"))
        | Q(button_alerted_at__lt=now - conf.hours("ALERT_KEEP_HOURS"))
    )
    summary.ended = Walk.objects.filter(overlong | kept_too_long).update(status=WalkStatus.ENDED, finished_at=now)
    due = list(
        Walk.objects.select_for_update()
        .filter(
            status__in=FINISHED, purged_at__isnull=True, finished_at__lte=now - conf.minutes("POSITION_GRACE_MINUTES")
        )
        .values_list("pk", flat=True)
    )
    if due:
        summary.positions, _ = Position.objects.filter(walk_id__in=due).delete()
        TrustedContact.objects.filter(walk_id__in=due).delete()
        summary.purged = Walk.objects.filter(pk__in=due).update(
            resident_name="",
            destination="",
            destination_lat=None,
            destination_lon=None,
            control_tokens="",
            purged_at=now,
        )
    summary.stubs, _ = Walk.objects.filter(purged_at__lt=now - timedelta(days=conf.number("STUB_DAYS"))).delete()
    if summary.ended or summary.purged or summary.stubs:
        audit.record(
            actor=None,
            action="walk.purged",
            data={
                "ended": summary.ended,
                "purged": summary.purged,
                "positions": summary.positions,
                "stubs": summary.stubs,
            },
        )
    return summary
