"""Loading agencies and rules from a document, and routing done by the real worker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from streetlight.reports.models import Report
from streetlight.routing.catalog import RoutingDataError, routing_load
from streetlight.routing.models import Assignment, RoutingRule
from streetlight.triage.models import ReportTriage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"rules": [{"name": "x", "categories": ["nope"], "agencies": ["police"]}]}, "unknown categories"),
        ({"rules": [{"name": "x", "agencies": ["ghost"]}]}, "unknown agencies"),
        ({"rules": [{"name": "x", "agencies": ["police"], "time_from": "22:00"}]}, "both time_from and time_to"),
        ({"rules": [{"name": "x", "agencies": ["police"], "time_from": "late", "time_to": "6"}]}, "not a time"),
        ({"agencies": [{"code": "a", "name": "A", "kind": "army", "consent_scope": "police"}]}, "kind must be"),
        ({"agencies": [{"code": "a", "name": "A", "kind": "other", "consent_scope": "everyone"}]}, "consent_scope"),
        ({"deadlines": [{"category": None, "amount": 0, "unit": "days"}]}, "positive amount"),
    ],
)
def test_invalid_routing_documents_are_refused_with_a_message(document: dict[str, Any], message: str) -> None:
    before = RoutingRule.objects.count()
    with pytest.raises(RoutingDataError, match=message):
        routing_load(document=document)
    assert RoutingRule.objects.count() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_city")
def test_the_intake_routes_and_the_worker_finishes(client: Client, report_json: dict[str, Any]) -> None:
    resp = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    assert resp.status_code == 201
    assert {a.agency.code for a in Assignment.objects.all()} == {"police"}  # on the screens at once
    report = Report.objects.get(reference=resp.json()["reference"])
    assert report.processed_at is None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.processed_at is not None
    assert ReportTriage.objects.filter(report=report).exists()  # queued by the processing, run after it
    assert {a.agency.code for a in Assignment.objects.all()} == {"police"}


@pytest.mark.django_db
def test_admin_preview_shows_who_would_receive_a_report(admin_client: Client) -> None:
    from streetlight.reports.models import Category

    category = Category.objects.get(code="gender-violence-domestic")
    page = admin_client.get("/admin/routing/routingrule/preview/", {"category": category.pk, "police": "on"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Portavera Municipal Police" in html and "Portavera Victim Support" in html
    assert "no: the reporter did not consent" in html


@pytest.mark.django_db
def test_admin_refuses_a_rule_with_half_a_time_window(admin_client: Client) -> None:
    from streetlight.routing.models import Agency

    resp = admin_client.post(
        "/admin/routing/routingrule/add/",
        {
            "name": "half window",
            "active": "on",
            "sensitivity": "any",
            "time_from": "22:00",
            "time_to": "",
            "agencies": [Agency.objects.get(code="police").pk],
        },
    )
    assert resp.status_code == 200  # the form is shown again with the error
    assert not RoutingRule.objects.filter(name="half window").exists()
