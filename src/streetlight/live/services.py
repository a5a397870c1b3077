"""Publish a change to the live stream (inside the caller's transaction)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from .models import StreamEvent

CHANNEL = "streetlight_events"
# The payload is the change as `Change.from_payload` reads it.
NOTIFYING_INSERT = f"""INSERT INTO "{StreamEvent._meta.db_table}" (at, kind, report_id, agency_ids)
VALUES (%s, %s, %s, %s)
RETURNING id, pg_notify(
    %s, json_build_object('id', id, 'kind', kind, 'report', report_id, 'agencies', agency_ids)::text
)
"""  # noqa: S608  (the table name is ours; every value is a parameter)


def event_publish(*, kind: str, report_id: int, agency_ids: Iterable[int] | None = None) -> StreamEvent | None:
    """Record the event for the given agencies (default: every agency the report is assigned to);
    on PostgreSQL also NOTIFY with the change itself as payload. The server delivers a NOTIFY only
    at commit, in commit order, so every web process learns of the change exactly when it is
    visible, without a query. A report assigned to nobody makes no event."""
    if agency_ids is None:
        from streetlight.routing.selectors import agency_ids_for_report

        agency_ids = agency_ids_for_report(report_id=report_id)
    agencies = sorted(set(agency_ids))
    if not agencies:
        return None
    now = timezone.now()
    if connection.vendor != "postgresql":
        return StreamEvent.objects.create(at=now, kind=kind, report_id=report_id, agency_ids=agencies)
    with connection.cursor() as cursor:  # the row and its NOTIFY in one round trip
        cursor.execute(NOTIFYING_INSERT, [now, kind, report_id, json.dumps(agencies), CHANNEL])
        pk = cursor.fetchone()[0]
    fields = ["id", "at", "kind", "report_id", "agency_ids"]
    return StreamEvent.from_db(connection.alias, fields, [pk, now, kind, report_id, agencies])  # as if read back
