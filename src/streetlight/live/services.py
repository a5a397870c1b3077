"""Publish a change to the live stream (inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from .models import StreamEvent

CHANNEL = "streetlight_events"


def event_publish(*, kind: str, report_id: int, agency_ids: Iterable[int] | None = None) -> StreamEvent | None:
    """Record the event for the given agencies (default: every agency the report is assigned to);
    on PostgreSQL also NOTIFY, which the server delivers only at commit, so every web process wakes
    up exactly when the change is visible. A report assigned to nobody makes no event."""
    if agency_ids is None:
        from streetlight.routing.selectors import agency_ids_for_report

        agency_ids = agency_ids_for_report(report_id=report_id)
    agencies = sorted(set(agency_ids))
    if not agencies:
        return None
    event = StreamEvent.objects.create(at=timezone.now(), kind=kind, report_id=report_id, agency_ids=agencies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(event.pk)])
    return event
