"""validate_lat_lon and haversine_m."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from streetlight.toolkit.geo import EARTH_RADIUS_M, haversine_m, validate_lat_lon

lats = st.floats(-90, 90)
lons = st.floats(-180, 180)


@pytest.mark.parametrize(("lat", "lon"), [(45.07, 7.68), (-90, -180), (90, 180), (Decimal("45.0703"), 7)])
def test_valid_positions_pass(lat: float, lon: float) -> None:
    validate_lat_lon(lat, lon)


@pytest.mark.parametrize("lat", [90.0001, -91, math.inf])
def test_latitude_out_of_range_is_refused(lat: float) -> None:
    expected = "latitude must be a finite number" if math.isinf(lat) else "latitude must be between -90 and 90"
    with pytest.raises(ValueError, match=f"^{expected}$"):
        validate_lat_lon(lat, 7.0)


def test_longitude_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^longitude must be between -180 and 180$"):
        validate_lat_lon(45.0, 180.5)


@pytest.mark.parametrize(("lat", "lon", "which"), [(math.nan, 7.0, "latitude"), (45.0, -math.inf, "longitude")])
def test_non_finite_values_are_refused(lat: float, lon: float, which: str) -> None:
    with pytest.raises(ValueError, match=f"^{which} must be a finite number$"):
        validate_lat_lon(lat, lon)


@pytest.mark.parametrize("value", ["45.0", None, True])
def test_non_numbers_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match=r"^latitude must be a number$"):
        validate_lat_lon(value, 7.0)


def test_one_degree_of_latitude_is_r_times_pi_over_180() -> None:
    assert haversine_m(45.0, 7.0, 46.0, 7.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, rel=1e-12)


def test_antipodes_are_half_a_great_circle_apart() -> None:
    assert haversine_m(45.0, 7.0, -45.0, -173.0) == pytest.approx(math.pi * EARTH_RADIUS_M, rel=1e-9)


def test_turin_to_milan_is_about_126_km() -> None:
    # Piazza Castello (Turin) to Piazza del Duomo (Milan), usually quoted as ~126 km as the crow flies.
    assert haversine_m(45.0712, 7.6858, 45.4641, 9.1919) == pytest.approx(126_000, abs=1_000)


def test_scalars_give_a_float() -> None:
    assert type(haversine_m(45.0, 7.0, 45.0, 7.001)) is float


def test_arrays_broadcast_against_a_scalar() -> None:
    d = haversine_m(np.array([[45.0], [46.0]]), np.array([7.0, 8.0, 9.0]), 45.0, 7.0)
    assert d.shape == (2, 3)
    assert d[0, 0] == 0.0
    assert d[1, 0] == pytest.approx(haversine_m(46.0, 7.0, 45.0, 7.0))


def test_metre_scale_distances_stay_accurate() -> None:
    # 1e-5 degree of latitude = 1.11 m: the law of cosines would lose this to rounding.
    assert haversine_m(45.0, 7.0, 45.00001, 7.0) == pytest.approx(1.1119508, rel=1e-6)


@given(lats, lons, lats, lons)
def test_distance_is_symmetric(la1: float, lo1: float, la2: float, lo2: float) -> None:
    assert haversine_m(la1, lo1, la2, lo2) == pytest.approx(haversine_m(la2, lo2, la1, lo1), abs=1e-6)


@given(lats, lons, lats, lons, lats, lons)
def test_triangle_inequality(la1: float, lo1: float, la2: float, lo2: float, la3: float, lo3: float) -> None:
    direct = haversine_m(la1, lo1, la3, lo3)
    # Three points on one great circle make it an equality; at 20,000 km, rounding is ~1e-13 relative.
    assert direct <= haversine_m(la1, lo1, la2, lo2) + haversine_m(la2, lo2, la3, lo3) + 1e-6 + 1e-12 * direct


@given(lats, lons, lats, lons)
def test_distance_never_exceeds_half_the_circumference(la1: float, lo1: float, la2: float, lo2: float) -> None:
    assert 0.0 <= haversine_m(la1, lo1, la2, lo2) <= math.pi * EARTH_RADIUS_M + 1e-6
