"""Safety-walk audits feed the perceived-insecurity index of their area, as the "safety_walk" source."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from streetlight.insight import dashboard
from streetlight.insight.data import Filters, report_arrays
from streetlight.nightwalks import services
from streetlight.nightwalks.selectors import safety_walk_feelings
from streetlight.reports.geo import area_index
from tests import staff
from tests.staff import signed_in

from .conftest import audit, point, ratings

pytestmark = pytest.mark.django_db


def filters() -> Filters:
    today = timezone.localdate()
    return Filters(since=today - timedelta(days=30), until=today)


def test_audit_points_change_the_index_of_their_area(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    index = area_index()
    assert index is not None
    code = index.locate(lat, lon)
    assert code is not None
    rows = {r.code: r for r in dashboard.area_rows(report_arrays(filters()), filters())}
    assert rows[code].insecurity is None and rows[code].walk_points == 0
    services.audit_submit(draft=audit(*(point(lat, lon, ratings=ratings(0)) for _ in range(6))))
    row = {r.code: r for r in dashboard.area_rows(report_arrays(filters()), filters())}[code]
    assert row.walk_points == 6 and row.feelings == 0
    assert row.insecurity is not None and row.insecurity > 50  # "very unsafe" six times


def test_feeling_becomes_the_1_to_5_safety_score(city_point: tuple[float, float]) -> None:
    services.audit_submit(draft=audit(point(*city_point, ratings=ratings(0)), point(*city_point, ratings=ratings(3))))
    f = filters()
    feelings = safety_walk_feelings(start=f.start, end=f.end)
    assert sorted(feelings.score.tolist()) == [1.0, 5.0]
    assert len(safety_walk_feelings(start=f.start - timedelta(days=60), end=f.start)) == 0


def test_the_analysts_area_table_counts_walk_points(city_point: tuple[float, float]) -> None:
    services.audit_submit(draft=audit(point(*city_point, ratings=ratings(1))))
    today = timezone.localdate()
    analyst = signed_in(staff.member("police", "analyst"))
    body = analyst.get(f"/insight/areas.csv?from={today - timedelta(days=7):%Y-%m-%d}&to={today:%Y-%m-%d}")
    rows = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert sum(int(r["walk_points"]) for r in rows) == 1
