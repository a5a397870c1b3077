"""Where: the districts' polygons, point-in-polygon, and points drawn inside a district.

shapely answers point-in-polygon when installed; the numpy even-odd fallback serves bare
notebooks and draws exactly the same random numbers, so a seed gives the same reports either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from .city import CITY_LAT, BoolArray, FloatArray, IntArray

try:
    import shapely
    from shapely.geometry import shape as _shapely_shape

    HAS_SHAPELY = True
except ImportError:  # pragma: no cover - shapely is a dependency; the fallback serves bare notebooks
    HAS_SHAPELY = False

_M_PER_DEG_LAT: Final[float] = 111_132.954 - 559.822 * math.cos(2 * math.radians(CITY_LAT))
_M_PER_DEG_LON: Final[float] = 111_412.84 * math.cos(math.radians(CITY_LAT))
_HOTSPOTS_PER_DISTRICT: Final[int] = 3
_HOTSPOT_SIGMA_M: Final[float] = 180.0


def _rings(geometry: Mapping[str, Any]) -> list[FloatArray]:
    """Every ring (exteriors and holes) of a GeoJSON Polygon or MultiPolygon as (k, 2) arrays."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"District geometry must be a Polygon or MultiPolygon, not {geometry['type']}.")
    return [np.asarray(ring, dtype=np.float64)[:, :2] for polygon in polygons for ring in polygon]


def _area(geometry: Mapping[str, Any]) -> float:
    """Planar area in square degrees (shoelace): exteriors minus holes, whatever their winding.
    Computed without shapely so that both point-in-polygon paths draw the same random numbers."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    total = 0.0
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            xy = np.asarray(ring, dtype=np.float64)[:, :2]
            ring_area = abs(float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]))) / 2
            total += ring_area if i == 0 else -ring_area
    return total


def points_in_geometry(geometry: Mapping[str, Any], lon: FloatArray, lat: FloatArray) -> BoolArray:
    """Whether each (lon, lat) lies inside a GeoJSON Polygon/MultiPolygon, with numpy only.

    Even-odd ray casting over all rings at once, so holes and multipolygons need no special
    case. Points exactly on an edge may fall either way; callers that must be sure (the
    generator) test the rounded coordinates they publish."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in _rings(geometry):
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        py = lat[:, None]
        crosses = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        inside ^= (np.count_nonzero(crosses & (lon[:, None] < x_at), axis=1) % 2).astype(bool)
    return inside


@dataclass
class Area:
    code: str
    population: float
    nightlife: float
    geometry: Mapping[str, Any]
    bbox: tuple[float, float, float, float]
    fill: float  # share of the bounding box the area covers, to size rejection batches
    prepared: Any = None  # shapely geometry when shapely is installed

    def contains(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        if self.prepared is not None:
            return np.asarray(shapely.contains_xy(self.prepared, lon, lat), dtype=bool)
        return points_in_geometry(self.geometry, lon, lat)


def parse_districts(districts: Mapping[str, Any]) -> list[Area]:
    features = districts.get("features") or []
    if not features:
        raise ValueError("districts must be a GeoJSON FeatureCollection with at least one feature.")
    areas: list[Area] = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature["geometry"]
        rings = _rings(geometry)
        stacked = np.vstack(rings)
        bbox = (
            float(stacked[:, 0].min()),
            float(stacked[:, 1].min()),
            float(stacked[:, 0].max()),
            float(stacked[:, 1].max()),
        )
        bbox_area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])
        prepared = None
        if HAS_SHAPELY:
            prepared = _shapely_shape(geometry)
            shapely.prepare(prepared)
        code = str(props.get("code") or feature.get("id") or f"D{len(areas) + 1:02d}")
        areas.append(
            Area(
                code=code,
                population=float(props.get("population") or 1.0),
                nightlife=float(np.clip(props.get("nightlife", 0.3), 0.0, 1.0)),
                geometry=geometry,
                bbox=bbox,
                fill=max(_area(geometry) / bbox_area, 0.05) if bbox_area > 0 else 1.0,
                prepared=prepared,
            )
        )
    return areas


def _uniform_in(area: Area, k: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """k points uniformly inside the area (rejection sampling in its bounding box), already
    rounded to the 6 decimals we publish and re-tested after rounding."""
    lon_out: list[FloatArray] = [np.empty(0)]
    lat_out: list[FloatArray] = [np.empty(0)]
    need = k
    for _ in range(1000):
        if need <= 0:
            break
        m = int(need / area.fill * 1.3) + 16
        lon = np.round(rng.uniform(area.bbox[0], area.bbox[2], m), 6)
        lat = np.round(rng.uniform(area.bbox[1], area.bbox[3], m), 6)
        ok = area.contains(lon, lat)
        lon_out.append(lon[ok][:need])
        lat_out.append(lat[ok][:need])
        need -= min(int(ok.sum()), need)
    else:  # pragma: no cover - only a degenerate (zero-area) polygon gets here
        raise ValueError(f"Could not place points inside district {area.code}; is its polygon empty?")
    return np.concatenate(lon_out), np.concatenate(lat_out)


def sample_locations(
    rng: np.random.Generator,
    areas: Sequence[Area],
    district: IntArray,
    hotspot_share: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """A point inside each report's district: some around a few hotspots per district (a
    square, a station exit), the rest spread uniformly, so hotspot maps have something to find."""
    n = district.size
    lon = np.empty(n)
    lat = np.empty(n)
    use_hotspot = rng.random(n) < hotspot_share
    sigma_lon = _HOTSPOT_SIGMA_M / _M_PER_DEG_LON
    sigma_lat = _HOTSPOT_SIGMA_M / _M_PER_DEG_LAT
    for d, area in enumerate(areas):
        centres_lon, centres_lat = _uniform_in(area, _HOTSPOTS_PER_DISTRICT, rng)
        idx = np.flatnonzero(district == d)
        hot = idx[use_hotspot[idx]]
        pick = rng.integers(0, _HOTSPOTS_PER_DISTRICT, hot.size)
        hot_lon = np.round(centres_lon[pick] + rng.normal(0.0, sigma_lon, hot.size), 6)
        hot_lat = np.round(centres_lat[pick] + rng.normal(0.0, sigma_lat, hot.size), 6)
        inside = area.contains(hot_lon, hot_lat)
        lon[hot[inside]] = hot_lon[inside]
        lat[hot[inside]] = hot_lat[inside]
        spread = np.concatenate([idx[~use_hotspot[idx]], hot[~inside]])
        spread.sort()
        lon[spread], lat[spread] = _uniform_in(area, spread.size, rng)
    return lon, lat
