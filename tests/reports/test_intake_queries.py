"""The intake path's database work, counted: one transaction that writes the report, its status
row, its follow-up token, its routing (the assignments, the stream event), its audit entry and its
outbox task, and reads nothing but the audit chain's head. The catalog, the
areas, the routing rules and the deadline policies come from per-process caches that any change
refreshes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from streetlight.live.models import StreamEvent
from streetlight.reports.models import Area, Category, Report
from streetlight.reports.tasks import process_report
from streetlight.routing.models import Assignment

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def post(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def statements(client: Client, body: dict[str, Any], key: str) -> tuple[list[str], Report]:
    with CaptureQueriesContext(connection) as ctx:
        resp = post(client, body, key)
    assert resp.status_code == 201, resp.content
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]
    return sql, Report.objects.get(reference=resp.json()["reference"])


def test_a_report_is_written_and_routed_with_inserts_only(client: Client, report_json: dict[str, Any]) -> None:
    post(client, report_json, "warm-the-caches-0001")  # the first request of a process fills its caches
    sql, report = statements(client, report_json, "counted-report-0001")
    assigned = Assignment.objects.filter(report=report).count()
    assert assigned >= 1  # on the agencies' screens the moment it is accepted
    assert StreamEvent.objects.filter(report_id=report.pk).count() == 1
    inserts = [s.split('"')[1] for s in sql if s.startswith("INSERT")]
    assert inserts == [
        "reports_report",
        "reports_statuschange",
        "reports_followuptoken",
        "routing_assignment",  # one statement for every agency
        "live_streamevent",
        "django_tasks_database_dbtaskresult",
        "audit_auditentry",  # one entry for the report and its routing, last: the chain lock is held to the commit
    ]
    if connection.vendor == "postgresql":
        lock = next(i for i, s in enumerate(sql) if "pg_advisory_xact_lock" in s)
        assert lock == len(sql) - 3, sql  # the lock, the chain's head, the entry: then the commit

    reads = [s for s in sql if s.startswith("SELECT")]
    on_postgres = connection.vendor == "postgresql"  # the chain lock; SQLite serialises writers
    assert len(reads) == 1 + (1 if on_postgres else 0), reads
    assert all(("audit_auditentry" in s or "pg_advisory_xact_lock" in s) for s in reads), reads
    if on_postgres:  # the stream event's NOTIFY goes with its row
        assert "pg_notify" in next(s for s in sql if '"live_streamevent"' in s)
    assert len(sql) == len(inserts) + len(reads)


def test_a_statistics_only_report_reaches_no_queue(client: Client, report_json: dict[str, Any]) -> None:
    consent = dict.fromkeys(("police", "victim_support", "social_services", "city", "contact"), False)
    body = {**report_json, "consent": {**consent, "public_statistics": True}}
    sql, report = statements(client, body, "statistics-only-0001")
    assert not Assignment.objects.filter(report=report).exists()
    assert not StreamEvent.objects.filter(report_id=report.pk).exists()
    assert not any("routing_assignment" in s or "live_streamevent" in s for s in sql)


def test_a_deactivated_category_is_refused_at_once(client: Client, report_json: dict[str, Any]) -> None:
    assert post(client, report_json).status_code == 201  # cached
    category = Category.objects.get(code="theft-bike")
    category.active = False
    category.save()
    resp = post(client, report_json)
    assert resp.status_code == 422
    assert [e["field"] for e in resp.json()["errors"]] == ["category"]


def test_a_new_category_is_accepted_at_once(client: Client, report_json: dict[str, Any]) -> None:
    assert post(client, report_json).status_code == 201  # cached
    parent = Category.objects.get(code="theft-bike").parent
    Category.objects.create(code="theft-scooter", parent=parent, kind=parent.kind if parent else "crime")
    resp = post(client, {**report_json, "category": "theft-scooter"})
    assert resp.status_code == 201, resp.content
    assert Report.objects.get(reference=resp.json()["reference"]).category.code == "theft-scooter"


def test_a_new_area_is_known_at_once(client: Client, report_json: dict[str, Any]) -> None:
    by_area = {**report_json, "location": {"kind": "area", "area": "harbour-annex"}}
    assert post(client, by_area).status_code == 422  # unknown, and the area lookup is now cached
    existing = Area.objects.first()
    assert existing is not None
    Area.objects.create(code="harbour-annex", name="Harbour annex", level="quarter", geometry=existing.geometry)
    resp = post(client, by_area)
    assert resp.status_code == 201, resp.content
    assert Report.objects.get(reference=resp.json()["reference"]).area.code == "harbour-annex"


@contextlib.contextmanager
def assignments_refused() -> Iterator[None]:
    """While it lasts, the database refuses every new assignment (a fault in routing)."""
    on_postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if on_postgres:
            cursor.execute(
                "CREATE FUNCTION intake_test_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'routing broken'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER intake_test_refuse BEFORE INSERT ON routing_assignment "
                "FOR EACH ROW EXECUTE FUNCTION intake_test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER intake_test_refuse BEFORE INSERT ON routing_assignment "
                "BEGIN SELECT RAISE(ABORT, 'routing broken'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER intake_test_refuse" + (" ON routing_assignment" if on_postgres else ""))
            if on_postgres:
                cursor.execute("DROP FUNCTION intake_test_refuse()")


def test_a_routing_fault_never_refuses_a_report_and_the_worker_routes_it(
    client: Client, report_json: dict[str, Any]
) -> None:
    with assignments_refused():
        resp = post(client, report_json, "routing-fault-0001")
    assert resp.status_code == 201, resp.content  # accepted, with everything but its routing
    report = Report.objects.get(reference=resp.json()["reference"])
    assert not Assignment.objects.filter(report=report).exists()
    task = DBTaskResult.objects.get(task_path="streetlight.reports.tasks.process_report")
    assert task.args_kwargs["kwargs"] == {"report_id": report.pk, "routed": []}
    process_report.call(**task.args_kwargs["kwargs"])  # the fault mended, the worker's turn
    assert Assignment.objects.filter(report=report).exists()
    assert StreamEvent.objects.filter(report_id=report.pk).exists()
