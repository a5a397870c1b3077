"""The background task run by the real worker: public locations are blurred, sensitive ones hidden."""

from __future__ import annotations

import json
from typing import Any

import h3
import pytest
from django.core.management import call_command
from django.test import Client

from streetlight.reports.models import Report

# The worker manages its own connections, so these tests commit for real (and re-seed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_city")]


def submit(client: Client, body: dict[str, Any]) -> Report:
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201, resp.content
    return Report.objects.get(reference=resp.json()["reference"])


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_worker_publishes_the_cell_centre_not_the_point(client: Client, report_json: dict[str, Any]) -> None:
    report = submit(client, report_json)
    assert report.processed_at is None
    run_worker()
    report.refresh_from_db()
    assert report.processed_at is not None
    cell = h3.latlng_to_cell(report.lat, report.lon, 8)
    assert (report.public_lat, report.public_lon) == pytest.approx(h3.cell_to_latlng(cell))
    assert (report.public_lat, report.public_lon) != (report.lat, report.lon)


def test_sensitive_report_never_gets_a_public_location(client: Client, report_json: dict[str, Any]) -> None:
    report = submit(client, {**report_json, "category": "hate-verbal"})
    run_worker()
    report.refresh_from_db()
    assert report.processed_at is not None
    assert report.public_lat is None and report.public_lon is None


def test_processing_twice_changes_nothing(client: Client, report_json: dict[str, Any]) -> None:
    from streetlight.reports.services import report_process

    report = submit(client, report_json)
    first = report_process(report_id=report.pk)
    second = report_process(report_id=report.pk)
    assert first is not None and second is not None
    assert first.processed_at == second.processed_at
