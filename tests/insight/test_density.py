"""The dashboard's kernel-density layer over real HTTP through Django: the reports' density on H3
cells, highest where reports cluster, with its bandwidth (Scott's rule or the analyst's) in the
metadata, a note instead of a surface when there are too few reports, and analysts only."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import timedelta
from typing import Any

import h3
import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from streetlight.demo.seed import seed_reports
from streetlight.insight import dashboard
from streetlight.insight.data import Filters, report_arrays
from streetlight.reports.geo import area_index
from streetlight.reports.models import Report
from tests import staff
from tests.staff import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> int:
    return seed_reports(n=400, seed=3)


def member(role: str, agency: str = "police") -> Client:
    return signed_in(staff.member(agency, role))


def period() -> str:
    today = timezone.localdate()
    return f"from={today - timedelta(days=365):%Y-%m-%d}&to={today:%Y-%m-%d}"


def density(client: Client, extra: str = "") -> dict[str, Any]:
    resp = client.get(f"/insight/density.geojson?{period()}{extra}")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/geo+json"
    return json.loads(resp.content)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(h3.great_circle_distance(a, b, unit="m"))


def plant_cluster(n: int = 150) -> tuple[float, float]:
    """Move `n` countable reports within ~20 m of the area centre farthest from the reports' mean."""
    placed = Report.objects.filter(public_statistics=True, lat__isnull=False).exclude(status="merged")
    mean = (float(np.mean([r.lat for r in placed])), float(np.mean([r.lon for r in placed])))
    index = area_index()
    assert index is not None
    point = max((index.centroid(code) for code in index.codes), key=lambda c: metres(c, mean))
    rng = np.random.default_rng(1)
    moved = list(placed.order_by("pk")[:n])
    for report in moved:
        report.lat = point[0] + rng.normal(0, 0.0001)
        report.lon = point[1] + rng.normal(0, 0.0001)
    Report.objects.bulk_update(moved, ["lat", "lon"])
    return point


def test_the_density_is_highest_where_reports_cluster(city: int) -> None:
    point = plant_cluster()
    layer = density(member("analyst"), "&res=9&bandwidth=200")
    props = [f["properties"] for f in layer["features"]]
    assert props and all(0 < p["share"] <= 1 and p["density_per_km2"] > 0 for p in props)
    peak = max(props, key=lambda p: p["density_per_km2"])
    assert peak["share"] == 1 and peak["density_per_km2"] == layer["properties"]["max_density"]
    assert metres(h3.cell_to_latlng(peak["cell"]), point) < 400  # within two bandwidths of the cluster
    planted = h3.latlng_to_cell(point[0], point[1], 9)
    assert next(p["share"] for p in props if p["cell"] == planted) > 0.8
    assert sorted(p["share"] for p in props)[len(props) // 2] < 0.5  # most of the city is far lower
    assert layer["properties"]["unit"] == "reports per km²" and layer["properties"]["resolution"] == 9
    assert all(f["geometry"]["type"] == "Polygon" for f in layer["features"])


def test_the_bandwidth_is_scotts_rule_or_the_analysts(city: int) -> None:
    analyst = member("analyst")
    scott = density(analyst, "&res=8")["properties"]
    assert scott["bandwidth_rule"] == "scott" and 50 <= scott["bandwidth_m"] <= 5000
    assert scott["reports"] > 300
    narrow = density(analyst, "&res=8&bandwidth=100")["properties"]
    wide = density(analyst, "&res=8&bandwidth=3000")["properties"]
    assert narrow["bandwidth_rule"] == "chosen" and narrow["bandwidth_m"] == 100
    assert wide["bandwidth_m"] == 3000
    assert narrow["max_density"] > wide["max_density"]  # a wider kernel spreads the same reports thinner


@pytest.mark.parametrize("bad", ["abc", "10", "49.9", "5001", "nan", "inf", "-300"])
def test_a_bad_bandwidth_is_a_400_naming_it(city: int, bad: str) -> None:
    resp = member("analyst").get(f"/insight/density.geojson?{period()}&bandwidth={bad}")
    assert resp.status_code == 400
    assert set(resp.json()["errors"]) == {"bandwidth"}
    assert "50" in resp.json()["errors"]["bandwidth"] and "5000" in resp.json()["errors"]["bandwidth"]


def test_too_few_reports_give_an_empty_collection_with_a_note() -> None:
    layer = density(member("analyst"))  # no reports at all
    assert layer["features"] == [] and layer["properties"]["reports"] == 0
    assert "too few" in layer["properties"]["note"]
    assert layer["properties"]["bandwidth_m"] is None


def test_two_reports_are_too_few_and_three_at_one_place_still_make_a_surface(city: int) -> None:
    today = timezone.localdate()
    arrays = report_arrays(Filters(since=today - timedelta(days=365), until=today))
    placed = np.flatnonzero(~np.isnan(arrays.lat))
    two = arrays.where(np.isin(np.arange(len(arrays)), placed[:2]))
    assert dashboard.density_layer(two, resolution=8)["properties"]["note"]
    three = arrays.where(np.isin(np.arange(len(arrays)), placed[:3]))
    same = dataclasses.replace(three, lat=np.full(3, three.lat[0]), lon=np.full(3, three.lon[0]))
    layer = dashboard.density_layer(same, resolution=9)  # Scott's rule gives 0 m: held at 50 m
    assert layer["properties"]["bandwidth_m"] == 50 and layer["features"]
    assert "narrower than the cells" in layer["properties"]["note"]  # 50 m under a 200 m hexagon edge
    wide = dashboard.density_layer(same, resolution=9, bandwidth_m=400)
    assert "note" not in wide["properties"]
    peak = max(wide["features"], key=lambda f: f["properties"]["share"])
    here = h3.latlng_to_cell(float(same.lat[0]), float(same.lon[0]), 9)
    assert peak["id"] in h3.grid_disk(here, 1)  # the grid's 100 m squares may tip it to a neighbour
    total = sum(f["properties"]["density_per_km2"] for f in wide["features"]) * h3.average_hexagon_area(9, "km^2")
    assert math.isclose(total, 3, rel_tol=0.2)  # the surface holds the three reports


def test_only_analysts_get_the_density(city: int, client: Client) -> None:
    assert client.get("/insight/density.geojson").status_code == 302  # to the sign-in page
    assert member("operator").get(f"/insight/density.geojson?{period()}").status_code == 403
    assert member("analyst").get(f"/insight/density.geojson?{period()}").status_code == 200


def test_the_dashboard_offers_the_layer_and_its_download(city: int) -> None:
    page = member("analyst").get(f"/insight/?{period()}").content.decode()
    assert 'id="f-density"' in page and "Show the density of reports (kernel density)" in page
    assert 'download="density.geojson"' in page and "/insight/density.geojson?" in page
