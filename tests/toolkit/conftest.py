"""Small, hand-drawn GeoJSON cities for the toolkit tests (GeoJSON positions are [lon, lat]).

Layout, around Turin (lon 7.0-7.3, lat 45.0-45.25):

    lat 45.25  +--I1--+      +--I2--+             I: one area made of two islands (MultiPolygon)
    lat 45.20  +------+      +------+
    lat 45.10  +------W------+------E------+------R------+
               |             |             |   +-hole-+  |   R has a hole (lon 7.23-7.27,
    lat 45.00  +-------------+-------------+---+------+--+   lat 45.03-45.07)
            lon 7.0         7.1           7.2           7.3
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from streetlight.toolkit.geo import AreaIndex


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Overrides tests/conftest.py's Django-cache reset: the toolkit never imports Django, and its
    tests must run with `-p no:django`, where that fixture's `settings` dependency does not exist."""
    yield


def ring(lon0: float, lat0: float, lon1: float, lat1: float) -> list[list[float]]:
    """Closed counter-clockwise rectangle ring."""
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]


def feature(code: str, geometry: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name or f"Area {code}"},
        "geometry": geometry,
    }


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


CITY: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        feature("W", polygon(ring(7.0, 45.0, 7.1, 45.1)), "West"),
        feature("E", polygon(ring(7.1, 45.0, 7.2, 45.1)), "East"),
        feature("R", polygon(ring(7.2, 45.0, 7.3, 45.1), ring(7.23, 45.03, 7.27, 45.07)[::-1]), "Ring"),
        feature(
            "I",
            {
                "type": "MultiPolygon",
                "coordinates": [[ring(7.0, 45.2, 7.05, 45.25)], [ring(7.1, 45.2, 7.15, 45.25)]],
            },
            "Islands",
        ),
    ],
}


@pytest.fixture
def city() -> dict[str, Any]:
    """A fresh copy each time, so a test may break it without affecting the others."""
    return copy.deepcopy(CITY)


@pytest.fixture
def city_file(tmp_path: Path, city: dict[str, Any]) -> Path:
    path = tmp_path / "city.geojson"
    path.write_text(json.dumps(city), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def city_index() -> AreaIndex:
    """Built once: hypothesis runs many examples per test and accepts only wider-scoped fixtures."""
    return AreaIndex.from_geojson(copy.deepcopy(CITY))
