"""The intake path's database work, counted: one transaction that writes the report, its status
row, its follow-up token, its audit entry and its outbox task, and reads nothing but the audit
chain's head. The catalog and the areas come from per-process caches that any change refreshes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from streetlight.reports.models import Area, Category, Report

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def post(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def statements(client: Client, body: dict[str, Any], key: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        resp = post(client, body, key)
    assert resp.status_code == 201, resp.content
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]


def test_a_report_costs_five_inserts_and_the_audit_head(client: Client, report_json: dict[str, Any]) -> None:
    post(client, report_json, "warm-the-caches-0001")  # the first request of a process fills its caches
    sql = statements(client, report_json, "counted-report-0001")
    inserts = [s.split('"')[1] for s in sql if s.startswith("INSERT")]
    assert inserts == [
        "reports_report",
        "reports_statuschange",
        "reports_followuptoken",
        "audit_auditentry",
        "django_tasks_database_dbtaskresult",
    ]
    reads = [s for s in sql if s.startswith("SELECT")]
    chain_lock = 1 if connection.vendor == "postgresql" else 0  # SQLite serialises writers itself
    assert len(reads) == 1 + chain_lock, reads
    assert all("audit_auditentry" in s or "pg_advisory_xact_lock" in s for s in reads), reads
    assert len(sql) == len(inserts) + len(reads)


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
