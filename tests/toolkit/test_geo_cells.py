"""H3 cells and location blurring."""

from __future__ import annotations

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.geo import blur_point, blur_points, h3_cell, h3_cells, haversine_m

# Keep away from the poles, where "lon" loses meaning and the cell geometry is unusual.
lats = st.floats(-85, 85)
lons = st.floats(-180, 180)
resolutions = st.integers(0, 15)


def test_h3_cell_matches_the_h3_documentation_example() -> None:
    # From the h3-py README: San Francisco at resolution 9.
    assert h3_cell(37.7752702151959, -122.418307270836, 9) == "8928308280fffff"


@pytest.mark.parametrize("resolution", [-1, 16, 8.0, True, "8"])
def test_invalid_resolution_is_refused(resolution: object) -> None:
    with pytest.raises(ValueError, match="H3 resolution must be"):
        h3_cell(45.07, 7.68, resolution)  # type: ignore[arg-type]


def test_invalid_position_is_refused() -> None:
    with pytest.raises(ValueError, match="longitude must be between -180 and 180"):
        h3_cell(45.07, 200.0, 8)


def test_h3_cells_agree_with_h3_cell() -> None:
    lats = np.array([45.07, 45.0701, 45.2, 45.07])
    lons = np.array([7.68, 7.6801, 7.5, 7.68])
    assert h3_cells(lats, lons, 9).tolist() == [h3_cell(la, lo, 9) for la, lo in zip(lats, lons, strict=True)]


def test_h3_cells_are_none_where_the_position_is_unusable() -> None:
    cells = h3_cells(np.array([45.07, np.nan, 95.0]), np.array([7.68, 7.68, 7.68]), 8)
    assert cells.tolist() == [h3_cell(45.07, 7.68, 8), None, None]


def test_h3_cells_keep_the_input_shape() -> None:
    assert h3_cells(np.full((2, 3), 45.07), np.full((2, 3), 7.68), 8).shape == (2, 3)


def test_h3_cells_validate_the_resolution() -> None:
    with pytest.raises(ValueError, match="between 0 and 15"):
        h3_cells(np.array([45.0]), np.array([7.0]), 16)


def test_blur_point_moves_to_the_cell_centre() -> None:
    cell = h3_cell(45.0703, 7.6869, 8)
    assert blur_point(45.0703, 7.6869) == pytest.approx(h3.cell_to_latlng(cell), abs=0)


def test_blur_point_hides_the_exact_position() -> None:
    assert blur_point(45.0703, 7.6869) != (45.0703, 7.6869)


def test_nearby_points_in_one_cell_blur_to_the_same_place() -> None:
    a, b = (45.0703, 7.6869), (45.0704, 7.6870)
    assert h3_cell(*a, 8) == h3_cell(*b, 8)
    assert blur_point(*a) == blur_point(*b)


@settings(max_examples=200)
@given(lats, lons, resolutions)
def test_blur_point_is_idempotent(lat: float, lon: float, resolution: int) -> None:
    once = blur_point(lat, lon, resolution=resolution)
    assert blur_point(*once, resolution=resolution) == once


@settings(max_examples=200)
@given(lats, lons, st.integers(3, 15))
def test_blurred_point_lies_within_the_cells_radius(lat: float, lon: float, resolution: int) -> None:
    cell = h3_cell(lat, lon, resolution)
    centre = blur_point(lat, lon, resolution=resolution)
    radius = max(haversine_m(*centre, *vertex) for vertex in h3.cell_to_boundary(cell))
    assert haversine_m(lat, lon, *centre) <= radius * 1.0001


@settings(max_examples=100)
@given(st.lists(st.tuples(lats, lons), min_size=1, max_size=20), resolutions)
def test_blur_points_agree_with_blur_point(points: list[tuple[float, float]], resolution: int) -> None:
    lat, lon = np.array(points).T
    blat, blon, cells = blur_points(lat, lon, resolution=resolution)
    expected = [blur_point(la, lo, resolution=resolution) for la, lo in points]
    assert list(zip(blat.tolist(), blon.tolist(), strict=True)) == expected
    assert cells.tolist() == [h3_cell(la, lo, resolution) for la, lo in points]


def test_blur_points_give_nan_for_unusable_positions() -> None:
    blat, blon, cells = blur_points(np.array([np.nan, 45.0]), np.array([7.0, 7.0]))
    assert np.isnan(blat[0]) and np.isnan(blon[0]) and cells[0] is None
    assert cells[1] == h3_cell(45.0, 7.0, 8)
