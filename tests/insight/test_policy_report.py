"""The policy report for a council meeting: figures that add up, in HTML and PDF, for analysts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.demo.seed import seed_reports
from streetlight.insight.data import Filters, countable
from streetlight.reports.models import Area

from .test_dashboard import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> int:
    return seed_reports(n=300, seed=4)


def query(days: int = 180) -> str:
    today = timezone.localdate()
    return f"from={today - timedelta(days=days - 1):%Y-%m-%d}&to={today:%Y-%m-%d}"


def test_the_report_counts_what_the_dashboard_counts_and_compares_with_the_period_before(city: int) -> None:
    analyst = member("analyst")
    html = analyst.get(f"/insight/report/?{query()}").content.decode()
    filters = Filters.from_query(dict(part.split("=") for part in query().split("&")))
    expected = countable().filter(occurred_from__gte=filters.start, occurred_from__lt=filters.end).count()
    assert f'<strong id="total">{expected}</strong>' in html
    assert "What changed since the period before" in html and 'id="changes"' in html
    assert html.count("data:image/svg+xml;base64,") == 2  # the map and the chart travel inside the file
    assert "Download as PDF" in html


def test_one_area_only(city: int) -> None:
    area = Area.objects.order_by("code").first()
    assert area is not None
    html = member("analyst").get(f"/insight/report/?{query()}&area={area.code}").content.decode()
    assert f"Safety report: {area.name}" in html
    assert 'id="areas"' not in html  # the per-area table is for the whole city


def test_the_pdf_is_a_pdf(city: int) -> None:
    resp = member("analyst").get(f"/insight/report.pdf?{query(90)}")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF-") and len(resp.content) > 10_000


def test_an_unknown_area_is_named_and_operators_get_nothing(city: int) -> None:
    resp = member("analyst").get(f"/insight/report/?{query()}&area=nowhere")
    assert resp.status_code == 400 and "No area has the code nowhere." in resp.content.decode()
    assert member("operator").get(f"/insight/report/?{query()}").status_code == 403
    assert Client().get(f"/insight/report.pdf?{query()}").status_code == 302
