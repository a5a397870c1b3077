"""AreaIndex: which area a point is in, on a small hand-drawn city (see conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.geo import AreaIndex, GeoDataError

# -- lookups ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (45.05, 7.05, "W"),
        (45.05, 7.15, "E"),
        (45.01, 7.21, "R"),
        (45.22, 7.02, "I"),  # first island
        (45.22, 7.12, "I"),  # second island
    ],
)
def test_locate_finds_the_containing_area(city: dict[str, Any], lat: float, lon: float, code: str) -> None:
    assert AreaIndex.from_geojson(city).locate(lat, lon) == code


def test_locate_reads_geojson_positions_as_lon_lat(city: dict[str, Any]) -> None:
    index = AreaIndex.from_geojson(city)
    assert index.locate(45.05, 7.05) == "W"
    assert index.locate(7.05, 45.05) is None  # swapped: somewhere in the Gulf of Guinea


def test_locate_outside_every_area_is_none(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate(45.5, 7.5) is None


def test_locate_in_a_hole_is_none(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate(45.05, 7.25) is None


def test_locate_between_islands_is_none(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate(45.22, 7.07) is None


def test_shared_border_goes_to_the_area_listed_first(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate(45.05, 7.1) == "W"


def test_shared_border_follows_feature_order_not_luck(city: dict[str, Any]) -> None:
    city["features"][0], city["features"][1] = city["features"][1], city["features"][0]
    assert AreaIndex.from_geojson(city).locate(45.05, 7.1) == "E"


def test_corner_shared_by_two_areas_goes_to_one(city: dict[str, Any]) -> None:
    index = AreaIndex.from_geojson(city)
    assert index.locate(45.0, 7.2) == "E"
    assert index.locate_many(np.array([45.0]), np.array([7.2])).tolist() == ["E"]


def test_outer_border_belongs_to_the_area(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate(45.1, 7.05) == "W"


def test_an_area_filling_a_hole_owns_its_inside(city: dict[str, Any]) -> None:
    hole = [[7.23, 45.03], [7.27, 45.03], [7.27, 45.07], [7.23, 45.07], [7.23, 45.03]]
    park = {"type": "Feature", "properties": {"code": "P", "name": "Park"}}
    city["features"].append({**park, "geometry": {"type": "Polygon", "coordinates": [hole]}})
    index = AreaIndex.from_geojson(city)
    assert index.locate(45.05, 7.25) == "P"
    assert index.locate(45.05, 7.23) == "R"  # the hole's edge is shared; R is listed first


def test_locate_rejects_impossible_coordinates(city: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="latitude must be between -90 and 90"):
        AreaIndex.from_geojson(city).locate(95.0, 7.0)


def test_locate_many_returns_codes_and_none(city: dict[str, Any]) -> None:
    index = AreaIndex.from_geojson(city)
    codes = index.locate_many(np.array([45.05, 45.05, 45.5, np.nan]), np.array([7.05, 7.15, 7.5, 7.05]))
    assert codes.dtype == object
    assert codes.tolist() == ["W", "E", None, None]


def test_locate_many_keeps_the_input_shape(city: dict[str, Any]) -> None:
    lats = np.array([[45.05, 45.05], [45.22, 45.5]])
    lons = np.array([[7.05, 7.15], [7.12, 7.5]])
    assert AreaIndex.from_geojson(city).locate_many(lats, lons).tolist() == [["W", "E"], ["I", None]]


def test_locate_many_on_an_empty_batch(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).locate_many(np.array([]), np.array([])).shape == (0,)


_EDGE_LATS = [45.0, 45.03, 45.07, 45.1, 45.2, 45.25]
_EDGE_LONS = [7.0, 7.05, 7.1, 7.15, 7.2, 7.23, 7.27, 7.3]
_lats = st.one_of(st.floats(44.95, 45.3), st.sampled_from(_EDGE_LATS))
_lons = st.one_of(st.floats(6.95, 7.35), st.sampled_from(_EDGE_LONS))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_lats, _lons), min_size=1, max_size=40))
def test_locate_many_agrees_with_locate(city_index: AreaIndex, points: list[tuple[float, float]]) -> None:
    index = city_index
    lats, lons = np.array(points).T
    assert index.locate_many(lats, lons).tolist() == [index.locate(la, lo) for la, lo in points]


@settings(max_examples=60, deadline=None)
@given(_lats, _lons)
def test_contains_iff_some_area_located(city_index: AreaIndex, lat: float, lon: float) -> None:
    index = city_index
    assert index.contains(lat, lon) == (index.locate(lat, lon) is not None)


def test_contains_is_true_inside_the_city(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).contains(45.05, 7.1)


def test_contains_is_false_in_a_hole(city: dict[str, Any]) -> None:
    assert not AreaIndex.from_geojson(city).contains(45.05, 7.25)


# -- description -----------------------------------------------------------------------------------


def test_bounds_are_lat_lon_ordered(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).bounds == pytest.approx((45.0, 7.0, 45.25, 7.3))


def test_centroid_is_lat_lon(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).centroid("W") == pytest.approx((45.05, 7.05))


def test_centroid_of_unknown_code_is_a_key_error(city: dict[str, Any]) -> None:
    with pytest.raises(KeyError, match="unknown area code 'X'"):
        AreaIndex.from_geojson(city).centroid("X")


def test_codes_keep_feature_order(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).codes == ["W", "E", "R", "I"]


def test_names_map_codes_to_names(city: dict[str, Any]) -> None:
    assert AreaIndex.from_geojson(city).names == {"W": "West", "E": "East", "R": "Ring", "I": "Islands"}


def test_integer_codes_become_strings(city: dict[str, Any]) -> None:
    city["features"][0]["properties"]["code"] = 101
    assert AreaIndex.from_geojson(city).locate(45.05, 7.05) == "101"


def test_to_geojson_round_trips(city: dict[str, Any]) -> None:
    index = AreaIndex.from_geojson(city)
    again = AreaIndex.from_geojson(json.loads(json.dumps(index.to_geojson())))
    lats, lons = np.meshgrid(np.linspace(44.99, 45.26, 28), np.linspace(6.99, 7.31, 33))
    assert again.codes == index.codes
    assert again.locate_many(lats, lons).tolist() == index.locate_many(lats, lons).tolist()


def test_to_geojson_keeps_extra_properties(city: dict[str, Any]) -> None:
    city["features"][0]["properties"]["population"] = 12000
    out = AreaIndex.from_geojson(city).to_geojson()
    assert out["features"][0]["properties"] == {"code": "W", "name": "West", "population": 12000}


def test_from_file_reads_geojson(city_file: Path) -> None:
    assert AreaIndex.from_file(city_file).locate(45.05, 7.15) == "E"


def test_from_file_with_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n}', encoding="utf-8")
    with pytest.raises(GeoDataError, match="line 3: not valid JSON"):
        AreaIndex.from_file(path)


# -- bad data --------------------------------------------------------------------------------------


def _break(city: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    city["features"][index].update(changes)
    return city


def test_missing_code_names_the_feature(city: dict[str, Any]) -> None:
    del city["features"][2]["properties"]["code"]
    with pytest.raises(GeoDataError, match="feature 2: missing 'code'"):
        AreaIndex.from_geojson(city)


def test_missing_name_names_the_feature(city: dict[str, Any]) -> None:
    city["features"][1]["properties"]["name"] = " "
    with pytest.raises(GeoDataError, match="feature 1: missing 'name'"):
        AreaIndex.from_geojson(city)


def test_duplicate_code_names_both_features(city: dict[str, Any]) -> None:
    city["features"][3]["properties"]["code"] = "E"
    with pytest.raises(GeoDataError, match=r"feature 3: duplicate code 'E' \(already used by feature 1\)"):
        AreaIndex.from_geojson(city)


def test_unclosed_ring_is_refused(city: dict[str, Any]) -> None:
    city["features"][1]["geometry"]["coordinates"][0].pop()
    with pytest.raises(GeoDataError, match="feature 1, ring 0: ring is not closed"):
        AreaIndex.from_geojson(city)


def test_self_intersecting_polygon_is_refused(city: dict[str, Any]) -> None:
    bowtie = [[7.0, 45.0], [7.1, 45.1], [7.1, 45.0], [7.0, 45.1], [7.0, 45.0]]
    _break(city, 0, geometry={"type": "Polygon", "coordinates": [bowtie]})
    with pytest.raises(GeoDataError, match=r"feature 0: invalid geometry \(Self-intersection"):
        AreaIndex.from_geojson(city)


def test_point_geometry_is_refused(city: dict[str, Any]) -> None:
    _break(city, 1, geometry={"type": "Point", "coordinates": [7.1, 45.0]})
    with pytest.raises(GeoDataError, match="feature 1: geometry type must be Polygon or MultiPolygon"):
        AreaIndex.from_geojson(city)


def test_missing_geometry_is_refused(city: dict[str, Any]) -> None:
    _break(city, 1, geometry=None)
    with pytest.raises(GeoDataError, match="feature 1: geometry is missing"):
        AreaIndex.from_geojson(city)


def test_lat_lon_swapped_file_is_refused(city: dict[str, Any]) -> None:
    swapped = [[45.0, 100.0], [45.1, 100.0], [45.1, 100.1], [45.0, 100.1], [45.0, 100.0]]
    _break(city, 0, geometry={"type": "Polygon", "coordinates": [swapped]})
    with pytest.raises(GeoDataError, match=r"feature 0, ring 0: coordinates out of range"):
        AreaIndex.from_geojson(city)


def test_ring_of_three_positions_is_refused(city: dict[str, Any]) -> None:
    _break(city, 0, geometry={"type": "Polygon", "coordinates": [[[7.0, 45.0], [7.1, 45.0], [7.0, 45.0]]]})
    with pytest.raises(GeoDataError, match="at least 4 positions, got 3"):
        AreaIndex.from_geojson(city)


def test_non_numeric_positions_are_refused(city: dict[str, Any]) -> None:
    city["features"][0]["geometry"]["coordinates"][0][1] = ["7.1", "north"]
    with pytest.raises(GeoDataError, match="feature 0, ring 0: positions must be"):
        AreaIndex.from_geojson(city)


def test_a_feature_is_not_a_collection() -> None:
    with pytest.raises(GeoDataError, match="must be a GeoJSON FeatureCollection"):
        AreaIndex.from_geojson({"type": "Feature", "geometry": None, "properties": {}})


def test_an_empty_collection_is_refused() -> None:
    with pytest.raises(GeoDataError, match="has no features"):
        AreaIndex.from_geojson({"type": "FeatureCollection", "features": []})


def test_geo_data_error_is_a_value_error() -> None:
    assert issubclass(GeoDataError, ValueError)
