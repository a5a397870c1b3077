"""Builders for the needs-assessment tests: a report filed through the public API with chosen needs
and consent, and routed as the worker would route it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from streetlight.reports.models import Report
from streetlight.routing.services import report_route

FileReport = Callable[..., tuple[Report, dict[str, Any]]]


def consent(**shared: bool) -> dict[str, bool]:
    """Nobody but whom `shared` names; no contact; counted in statistics."""
    flags = {"police": False, "victim_support": False, "social_services": False, "city": False}
    return {**flags, **shared, "contact": False, "public_statistics": True}


@pytest.fixture
def file_report(report_json: dict[str, Any]) -> FileReport:
    """File a report through POST /api/v1/reports and route it; returns it with the 201 body."""

    def file(
        *, needs: list[str], shared: dict[str, bool] | None = None, language: str = "", **extra: Any
    ) -> tuple[Report, dict[str, Any]]:
        body = {
            **report_json,
            "consent": consent(**(shared or {"victim_support": True})),
            "needs": needs,
            **({"interpreter_language": language} if language else {}),
            **extra,
        }
        resp = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 201, resp.content
        report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
        report_route(report=report)
        return report, resp.json()

    return file
