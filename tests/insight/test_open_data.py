"""Open data: per finished quarter, per area, nothing small and nothing derivable, never a position."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from streetlight.demo.seed import seed_reports
from streetlight.insight.open_data import quarter_bounds, quarters_available
from streetlight.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> int:
    return seed_reports(n=1500, seed=9)


def last_quarter() -> str:
    return quarters_available(count=1)[0]


def table(rows: list[dict[str, str]]) -> tuple[list[str], list[str], np.ndarray]:
    areas = [*sorted({r["area"] for r in rows} - {"total"}), "total"]
    categories = [*sorted({r["category"] for r in rows} - {"total"}), "total"]
    values = np.full((len(areas), len(categories)), np.nan)
    for r in rows:
        count = np.nan if r["count"] == "" else int(r["count"])
        values[areas.index(r["area"]), categories.index(r["category"])] = count
    return areas, categories, values


def test_the_csv_hides_small_counts_and_every_hidden_count_stays_hidden(client: Client, city: int) -> None:
    resp = client.get(f"/api/v1/open-data/reports-by-area?quarter={last_quarter()}&format=csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.content.decode())))
    assert set(rows[0]) == {"area", "category", "count"}
    _areas, _categories, values = table(rows)
    published = values[~np.isnan(values)]
    assert published.size and ((published == 0) | (published >= 10)).all()
    hidden = np.isnan(values)
    assert hidden.any()
    # No row or column (margins included) has exactly one hidden count: it could be subtracted out.
    assert not ((hidden.sum(axis=1) == 1).any() or (hidden.sum(axis=0) == 1).any())
    since, until = quarter_bounds(last_quarter())
    received = Report.objects.filter(
        public_statistics=True, area__isnull=False, created_at__date__gte=since, created_at__date__lte=until
    ).count()
    grand = values[-1, -1]
    assert np.isnan(grand) or grand == received


def test_the_geojson_has_areas_and_counts_but_no_report_position(client: Client, city: int) -> None:
    data = client.get(f"/api/v1/open-data/reports-by-area?quarter={last_quarter()}").json()
    assert data["type"] == "FeatureCollection" and data["metadata"]["min_count"] == 10
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}
    text = str(data)
    for report in Report.objects.exclude(lat__isnull=True)[:200]:
        assert f"[{report.lon}, {report.lat}]" not in text
    assert all(set(f["properties"]) == {"area", "name", "counts"} for f in data["features"])


def test_an_unfinished_or_malformed_quarter_is_refused_naming_the_field(client: Client) -> None:
    today = timezone.localdate()
    current = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    for bad in (current, "2026-Q5", "last year"):
        resp = client.get(f"/api/v1/open-data/reports-by-area?quarter={bad}")
        assert resp.status_code == 400
        assert [e["field"] for e in resp.json()["errors"]] == ["quarter"]
    assert client.get("/api/v1/open-data/reports-by-area").status_code in (400, 422)


def test_the_page_lists_finished_quarters_with_their_downloads(client: Client) -> None:
    page = client.get("/open-data/").content.decode()
    assert last_quarter() in page and "format=csv" in page
    assert quarter_bounds(last_quarter())[1] < timezone.localdate() + timedelta(days=1)
