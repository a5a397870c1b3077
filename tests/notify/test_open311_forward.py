"""Forwarding to another Open311 GeoReport v2 endpoint — here our own server, over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.integrations.services import open311_client_create
from streetlight.notify.models import Delivery, Webhook
from streetlight.notify.services import delivery_attempt
from streetlight.reports.models import Report
from streetlight.routing.models import Agency

from .processing import run_processing

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_city")]


def test_a_street_light_report_is_forwarded_to_an_open311_endpoint(
    live_server: Any, client: Client, report_json: dict[str, Any]
) -> None:
    _client, api_key = open311_client_create(name="Public works back-office")
    Webhook.objects.create(
        agency=Agency.objects.get(code="public-works"),
        kind="open311",
        secret=api_key,
        url=f"{live_server.url}/open311/v2/requests.json",
        service_codes={"public-space-streetlight": "public-space-streetlight"},
    )
    body = {
        **report_json,
        "category": "public-space-streetlight",
        "description": "The lamp at the corner is out",
        "consent": {**report_json["consent"], "police": False, "city": True},
    }
    ref = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()["reference"]
    report = Report.objects.select_related("category__parent", "area").get(reference=ref)
    run_processing(report)  # the worker's turn: the intake routed it, the worker notifies
    delivery = Delivery.objects.get(webhook__kind="open311")
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.last_status_code in (200, 201)
    forwarded = Report.objects.get(reference=delivery.remote_id)
    assert forwarded.source == "open311"
    assert forwarded.description.startswith(ref)
    assert forwarded.category.code == "public-space-streetlight"
