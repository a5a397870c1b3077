"""The public night safety map: audits per H3 cell, values only where enough audits were sent, and
never a point, a comment or a photo."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from streetlight.nightwalks import services
from streetlight.nightwalks.models import WalkAudit
from streetlight.reports.geo import area_index
from streetlight.toolkit.geo import h3_cell

from .conftest import audit, photo_upload, point, ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_k(settings: Any) -> int:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SAFETY_WALK_MIN_AUDITS": 3, "PUBLIC_BLUR_RESOLUTION": 8}
    return 3


def send(lat: float, lon: float, *, night: bool, feeling: int, lighting: int | None = None, **kw: Any) -> None:
    stored = services.audit_submit(draft=audit(point(lat, lon, ratings=ratings(feeling, lighting=lighting), **kw)))
    WalkAudit.objects.filter(pk=stored.pk).update(is_night=night)  # the clock decides; the test chooses


def features(client: Client, period: str) -> dict[str, dict[str, Any]]:
    response = client.get(f"/safety-walks/map.geojson?period={period}")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    return {f["properties"]["cell"]: f for f in json.loads(response.content)["features"]}


def test_a_cell_with_enough_night_audits_shows_its_means(
    client: Client, small_k: int, city_point: tuple[float, float]
) -> None:
    lat, lon = city_point
    for feeling, lighting in ((0, 0), (1, 1), (2, None), (1, 2)):
        send(lat, lon, night=True, feeling=feeling, lighting=lighting)
    cell = h3_cell(lat, lon, 8)
    night = features(client, "night")[cell]
    assert night["geometry"]["type"] == "Polygon"
    assert night["properties"]["audits"] == 4
    assert night["properties"]["feeling"] == 1.0 and night["properties"]["lighting"] == 1.0
    assert night["properties"]["people"] is None  # nobody rated it
    assert cell not in features(client, "day")


def test_a_cell_with_too_few_audits_shows_no_values(
    client: Client, small_k: int, city_point: tuple[float, float]
) -> None:
    lat, lon = city_point
    index = area_index()
    assert index is not None
    far_lat, far_lon = index.centroid(index.codes[-1])
    assert h3_cell(far_lat, far_lon, 8) != h3_cell(lat, lon, 8)
    for _ in range(3):
        send(lat, lon, night=True, feeling=2)
    send(far_lat, far_lon, night=True, feeling=0, comment="Someone followed me", photos=(photo_upload(),))
    shown = features(client, "night")
    lonely = shown[h3_cell(far_lat, far_lon, 8)]["properties"]
    assert lonely["audits"] is None and all(lonely[k] is None for k in ("feeling", "lighting", "people"))
    # the one small cell would be derivable from the total: the suppression hides a second one too
    assert shown[h3_cell(lat, lon, 8)]["properties"]["audits"] is None
    body = client.get("/safety-walks/map.geojson?period=night").content.decode()
    assert "followed" not in body and ".jpg" not in body and f"{far_lat:.5f}" not in body
    page = client.get("/safety-walks/map/").content.decode()
    assert "Too few audits" in page and "followed" not in page


def test_points_of_one_audit_count_once(client: Client, small_k: int, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    many = tuple(point(lat, lon, ratings=ratings(1)) for _ in range(5))
    stored = services.audit_submit(draft=audit(*many))
    WalkAudit.objects.filter(pk=stored.pk).update(is_night=True)
    assert features(client, "night")[h3_cell(lat, lon, 8)]["properties"]["audits"] is None


def test_a_bad_period_is_a_400_naming_it(client: Client) -> None:
    response = client.get("/safety-walks/map.geojson?period=dusk")
    assert response.status_code == 400 and "period" in response.json()["errors"]
    assert client.get("/safety-walks/map/?period=dusk").status_code == 400


def test_the_public_minimum_is_the_default(client: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    for _ in range(5):
        send(lat, lon, night=True, feeling=1)
    layer = json.loads(client.get("/safety-walks/map.geojson").content)
    assert layer["properties"]["min_audits"] == 10 and layer["properties"]["period"] == "night"
    assert all(f["properties"]["audits"] is None for f in layer["features"])
