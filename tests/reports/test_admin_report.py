"""The admin shows a report's record, never its content: even a superuser reads no words, no exact
place and no contact details there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.reports.models import Report
from tests.staff import signed_in

pytestmark = pytest.mark.django_db


def test_the_report_page_in_the_admin_has_no_content(report_json: dict[str, Any]) -> None:
    body = {
        **report_json,
        "description": "Someone took my bike near the bakery on Via Lunga, number 12.",
        "consent": {**report_json["consent"], "contact": True},
        "contact": {"email": "victim@example.org"},
    }
    created = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    report = Report.objects.get(reference=created.json()["reference"])
    admin = signed_in(User.objects.create_superuser("root", password="a-long-test-password"))
    page = admin.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert report.reference in html
    for secret in ("Via Lunga", "victim@example.org", f"{report.lat}", f"{report.lon}"):
        assert secret not in html
