"""The analysts' dashboard over real HTTP through Django: aggregates only, for the right roles, with
every chart downloadable and bad filters answered with the field's name."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.demo.seed import seed_reports
from streetlight.reports.models import Report
from tests import staff
from tests.staff import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> int:
    return seed_reports(n=400, seed=3)


def member(role: str, agency: str = "police") -> Client:
    """A client signed in as a new member of `agency` with `role`."""
    return signed_in(staff.member(agency, role))


def period() -> str:
    today = timezone.localdate()
    return f"from={today - timedelta(days=365):%Y-%m-%d}&to={today:%Y-%m-%d}"


def test_only_analysts_supervisors_and_admins_see_the_dashboard(client: Client) -> None:
    assert client.get("/insight/").status_code == 302  # to the sign-in page
    assert member("operator").get("/insight/").status_code == 403
    for role in ("analyst", "supervisor", "city_admin"):
        assert member(role, "city-safety" if role == "city_admin" else "police").get("/insight/").status_code == 200


def test_an_operator_gets_no_data_endpoint(city: int) -> None:
    operator = member("operator")
    for path in ("/insight/cells.geojson", "/insight/trend.csv", "/insight/trend.svg", "/insight/areas.csv"):
        assert operator.get(path).status_code == 403


def test_the_map_counts_every_countable_report_with_a_place_and_hides_small_cells(city: int) -> None:
    analyst = member("analyst")
    layer = json.loads(analyst.get(f"/insight/cells.geojson?{period()}&res=7").content)
    countable = Report.objects.filter(public_statistics=True, lat__isnull=False).exclude(status="merged").count()
    shown = [f["properties"]["count"] for f in layer["features"] if f["properties"]["count"] is not None]
    hidden = [f for f in layer["features"] if f["properties"]["count"] is None]
    assert shown and all(count >= 3 for count in shown)
    assert sum(shown) <= countable and sum(shown) + 2 * len(hidden) >= countable
    assert all(f["geometry"]["type"] == "Polygon" for f in layer["features"])
    opted_out = Report.objects.filter(public_statistics=False).count()
    assert opted_out  # the demo has reporters who opted out of statistics, and they are not counted
    assert layer["properties"]["min_count"] == 3


def test_day_and_night_split_the_reports_with_a_place(city: int) -> None:
    analyst = member("analyst")

    def total(extra: str) -> int:
        rows = list(csv.DictReader(io.StringIO(analyst.get(f"/insight/trend.csv?{period()}{extra}").content.decode())))
        return sum(int(v) for row in rows for k, v in row.items() if k != "month")

    day, night, both = total("&daynight=day"), total("&daynight=night"), total("")
    assert day > 0 and night > 0
    assert day + night <= both  # reports without a place have no day or night of their own


def test_the_trend_chart_downloads_as_svg_png_and_csv(city: int) -> None:
    analyst = member("analyst")
    svg = analyst.get(f"/insight/trend.svg?{period()}&download=1")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert "attachment" in svg["Content-Disposition"]
    png = analyst.get(f"/insight/trend.png?{period()}")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(io.StringIO(analyst.get(f"/insight/trend.csv?{period()}").content.decode())))
    assert len(rows) in (12, 13) and "month" in rows[0]
    areas = list(csv.DictReader(io.StringIO(analyst.get(f"/insight/areas.csv?{period()}").content.decode())))
    assert {"code", "reports", "mean_safety", "not_told_police"} <= set(areas[0])


def test_bad_filters_name_the_field(city: int) -> None:
    analyst = member("analyst")
    resp = analyst.get("/insight/cells.geojson?from=yesterday")
    assert resp.status_code == 400 and "from" in resp.json()["errors"]
    assert analyst.get("/insight/cells.geojson?res=12").json()["errors"]["res"].startswith("Choose a cell size")
    page = analyst.get("/insight/?from=2026-05-01&to=2020-01-01")
    assert page.status_code == 400 and "The start must be before the end." in page.content.decode()
    assert analyst.get("/insight/trend.csv?daynight=dusk").status_code == 400


def test_hotspots_are_significant_cells_with_their_statistics(city: int) -> None:
    layer = json.loads(member("analyst").get(f"/insight/hotspots.geojson?{period()}&res=9").content)
    assert layer["properties"]["method"] == "Getis-Ord Gi*" and layer["properties"]["fdr"] == "Benjamini-Hochberg"
    assert layer["properties"]["cells"] > 500
    hot = [f["properties"] for f in layer["features"] if f["properties"]["class"] > 0]
    assert hot, "the demo city's busy centre is a hot spot"
    assert all(p["z"] > 0 and p["p_adjusted"] <= 0.10 for p in hot)


def test_the_insecurity_index_needs_five_inputs_and_shows_its_interval(city: int) -> None:
    rows = list(csv.DictReader(io.StringIO(member("analyst").get(f"/insight/areas.csv?{period()}").content.decode())))
    for row in rows:
        if int(row["feelings"]) < 5:
            assert row["insecurity"] == ""
        else:
            assert float(row["insecurity_low"]) <= float(row["insecurity"]) <= float(row["insecurity_high"])
    assert any(row["insecurity"] for row in rows)


def test_the_area_layer_and_the_categories_chart(city: int) -> None:
    analyst = member("analyst")
    layer = json.loads(analyst.get(f"/insight/areas.geojson?{period()}").content)
    props = [f["properties"] for f in layer["features"]]
    assert props and {"reports", "insecurity", "inputs", "recorded"} <= set(props[0])
    assert all(p["insecurity"] is None or p["inputs"] >= 5 for p in props)
    assert all(p["recorded"] is None for p in props)  # no police statistics imported here
    rows = list(csv.DictReader(io.StringIO(analyst.get(f"/insight/categories.csv?{period()}").content.decode())))
    counts = [int(r["reports"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) >= sum(p["reports"] for p in props)  # a report without an area still has a category
    assert analyst.get(f"/insight/categories.svg?{period()}")["Content-Type"] == "image/svg+xml"
    assert analyst.get(f"/insight/categories.png?{period()}").content[:4] == b"\x89PNG"
