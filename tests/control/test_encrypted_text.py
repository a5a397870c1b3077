"""Free text a reporter or an agency wrote is encrypted in the database, and the queue still finds
reports by a word of their description (decrypting the reports the user may see)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from streetlight.control.selectors import QueueFilters, queue_row, queue_rows
from streetlight.control.services import control_note_add
from streetlight.core import crypto
from streetlight.reports.errors import ReportNotFound
from streetlight.reports.models import Report
from streetlight.reports.services.lifecycle import report_reply
from streetlight.routing.services import report_route
from streetlight.triage.models import TriageLabel
from streetlight.triage.services import report_label, report_triage
from tests.staff import member

pytestmark = pytest.mark.django_db
SECRET = "Quetzalcoatl rode my stolen bike past the bakery on Via Roma"


def file(client: Client, report_json: dict[str, Any], description: str, address: str = "") -> Report:
    body = {**report_json, "description": description}
    if address:
        body["location"] = {**body["location"], "address": address}
    response = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    report = Report.objects.get(reference=response.json()["reference"])
    report_route(report=report)
    return report


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return str(cursor.fetchone()[0])


def test_reporters_and_agencies_free_text_is_ciphertext_in_the_database(
    client: Client, report_json: dict[str, Any]
) -> None:
    report = file(client, report_json, SECRET, address="Via Roma 12")
    officer = member("police", "operator")
    message = report_reply(report=report, actor=officer, body="We found a bike matching Quetzalcoatl.", public=True)
    note = control_note_add(actor=officer, report_id=report.pk, body="Quetzalcoatl: check the cameras", agency_id=None)
    triage = report_triage(report_id=report.pk)
    assert triage is not None
    label = report_label(actor=officer, report=report, categories=["theft-bike"])
    stored = [
        raw("reports_report", "description", report.pk),
        raw("reports_report", "address", report.pk),
        raw("reports_message", "body", message.pk),
        raw("control_note", "body", note.pk),
        raw("triage_reporttriage", "redacted_description", triage.pk),
        raw("triage_triagelabel", "text", label.pk),
    ]
    for value in stored:
        assert crypto.is_encrypted(value), value
        assert "Quetzalcoatl" not in value and "Via Roma" not in value
    report.refresh_from_db()
    assert report.description == SECRET and report.address == "Via Roma 12"  # read back in clear
    assert "Quetzalcoatl" in TriageLabel.objects.get(pk=label.pk).text


def test_the_queue_finds_a_report_by_a_word_of_its_encrypted_description(
    client: Client, report_json: dict[str, Any]
) -> None:
    wanted = file(client, report_json, SECRET)
    other = file(client, report_json, "Someone took my bike from the station rack.")
    officer = member("police", "operator")
    found = [row.report.pk for row in queue_rows(user=officer, filters=QueueFilters(q="quetzalcoatl"))]
    assert found == [wanted.pk]
    assert [r.report.pk for r in queue_rows(user=officer, filters=QueueFilters(q=other.reference.lower()))] == [
        other.pk
    ]
    assert queue_row(user=officer, report_id=wanted.pk, filters=QueueFilters(q="bakery")).report == wanted
    with pytest.raises(ReportNotFound):  # a live update of a searching screen skips what does not match
        queue_row(user=officer, report_id=other.pk, filters=QueueFilters(q="bakery"))


def test_search_never_reaches_another_agencys_reports(client: Client, report_json: dict[str, Any]) -> None:
    file(client, report_json, SECRET)  # shared with the police only
    outsider = member("victim-support", "operator")
    assert queue_rows(user=outsider, filters=QueueFilters(q="Quetzalcoatl")) == []
