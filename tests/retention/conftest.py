"""Builders for retention and data-rights tests: reports filed through the real API, with contact
details, closed through the real lifecycle service; clocks are explicit `now=` arguments."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from streetlight.reports import services
from streetlight.reports.models import Report
from streetlight.routing.services import report_route

EMAIL = "Victim@Example.org"


@dataclass
class Filed:
    report: Report
    token: str

    def refresh(self) -> Report:
        return Report.objects.get(pk=self.report.pk)


FileReport = Callable[..., Filed]


@pytest.fixture
def file_report(client: Client, report_json: dict[str, Any]) -> FileReport:
    """File a report as a resident would (contact details included unless `email` is empty) and
    route it to the agencies the reporter chose."""

    def make(category: str = "theft-bike", email: str = EMAIL, **consent: bool) -> Filed:
        body: dict[str, Any] = {**report_json, "category": category}
        body["consent"] = {**report_json["consent"], "contact": bool(email), **consent}
        if email:
            body["contact"] = {"name": "Alex Rossi", "email": email, "phone": "+39 333 1234567"}
        cache.clear()  # the per-address submission limit is not what these tests are about
        resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 201, resp.content
        report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
        report_route(report=report)
        return Filed(report=report, token=resp.json()["followup_token"])

    return make


def close(filed: Filed) -> datetime:
    """Resolve the report now; retention periods count from this moment."""
    services.report_transition(report=filed.report, to_status="resolved", actor=None)
    return timezone.now()


def days_after(moment: datetime, days: int) -> datetime:
    """A moment `days` (and a minute) after `moment`: the explicit clock handed to retention_run."""
    return moment + timedelta(days=days, minutes=1)


def retention_setting(settings: Any, **days: int) -> None:
    """Override some of the retention settings for one test (pytest-django restores them)."""
    settings.STREETLIGHT = {**settings.STREETLIGHT, "RETENTION": {**settings.STREETLIGHT["RETENTION"], **days}}
