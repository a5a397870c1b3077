"""Solar elevation and day/night, checked against published times and an independent formula."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.geo import day_night, is_night, solar_elevation

TURIN = (45.07, 7.68)
GREENWICH = (51.4769, 0.0)
TROMSO = (69.65, 18.96)
LONGYEARBYEN = (78.22, 15.65)
J2000 = datetime(2000, 1, 1, 12, tzinfo=UTC)


def almanac_elevation(when: datetime, lat: float, lon: float) -> float:
    """Independent check: the Astronomical Almanac's low-precision sun (right ascension and
    sidereal time, where the code under test uses the equation of time), good to ~0.01° 1950-2050."""
    n = (when - J2000).total_seconds() / 86400.0
    mean_long = (280.460 + 0.9856474 * n) % 360
    g = math.radians((357.528 + 0.9856003 * n) % 360)
    ecl_long = math.radians(mean_long + 1.915 * math.sin(g) + 0.020 * math.sin(2 * g))
    eps = math.radians(23.439 - 0.0000004 * n)
    ra = math.atan2(math.cos(eps) * math.sin(ecl_long), math.cos(ecl_long))
    dec = math.asin(math.sin(eps) * math.sin(ecl_long))
    gmst_hours = (18.697374558 + 24.06570982441908 * n) % 24  # USNO approximation
    hour_angle = math.radians(gmst_hours * 15 + lon) - ra
    phi = math.radians(lat)
    return math.degrees(math.asin(math.sin(phi) * math.sin(dec) + math.cos(phi) * math.cos(dec) * math.cos(hour_angle)))


def minutes(day: str, start: str, count: int) -> npt.NDArray[np.datetime64]:
    return np.datetime64(f"{day}T{start}", "s") + np.arange(count) * np.timedelta64(60, "s")


def first_minute_below(times: npt.NDArray[np.datetime64], elevation: npt.NDArray[np.float64], deg: float) -> datetime:
    index = int(np.argmax(elevation < deg))
    assert elevation[index] < deg <= elevation[index - 1]  # a real crossing, not argmax's 0 default
    return datetime.fromisoformat(str(times[index])).replace(tzinfo=UTC)


# -- published times -------------------------------------------------------------------------------


def test_turin_civil_dusk_on_the_june_solstice() -> None:
    times = minutes("2026-06-21", "19:30", 60)
    dusk = first_minute_below(times, solar_elevation(times, *TURIN), -6.0)
    assert abs(dusk - datetime(2026, 6, 21, 19, 57, tzinfo=UTC)) <= timedelta(minutes=3)


def test_greenwich_sunset_on_the_june_solstice() -> None:
    # Published: 21:21 BST = 20:21 UTC. Sunset is the upper limb at the horizon with refraction,
    # i.e. the centre at -0.833°.
    times = minutes("2026-06-21", "20:00", 60)
    sunset = first_minute_below(times, solar_elevation(times, *GREENWICH), -0.833)
    assert abs(sunset - datetime(2026, 6, 21, 20, 21, tzinfo=UTC)) <= timedelta(minutes=3)


def test_greenwich_sunset_on_the_december_solstice() -> None:
    # Published: 15:53 GMT, the earliest-looking sunset of the year in London.
    times = minutes("2026-12-21", "15:30", 60)
    sunset = first_minute_below(times, solar_elevation(times, *GREENWICH), -0.833)
    assert abs(sunset - datetime(2026, 12, 21, 15, 53, tzinfo=UTC)) <= timedelta(minutes=3)


def test_noon_elevation_at_the_june_solstice_is_90_minus_lat_plus_tilt() -> None:
    times = minutes("2026-06-21", "11:00", 120)
    assert solar_elevation(times, *TURIN).max() == pytest.approx(90 - 45.07 + 23.44, abs=0.05)


# -- independent formula ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2049, 12, 31), timezones=st.just(UTC)),
    st.floats(-89, 89),
    st.floats(-180, 180),
)
def test_elevation_agrees_with_the_almanac_formula(when: datetime, lat: float, lon: float) -> None:
    assert solar_elevation(when, lat, lon) == pytest.approx(almanac_elevation(when, lat, lon), abs=0.03)


# -- polar cases and the meaning of "night" --------------------------------------------------------


def test_tromso_midsummer_has_no_night() -> None:
    times = minutes("2026-06-21", "00:00", 1440)
    assert set(day_night(times, *TROMSO).tolist()) == {"day"}


def test_tromso_midwinter_noon_is_twilight_not_night() -> None:
    # Polar night, but at solar noon the sun is only ~3.1° below the horizon: civil twilight.
    noon = datetime(2026, 12, 21, 10, 45, tzinfo=UTC)
    assert solar_elevation(noon, *TROMSO) == pytest.approx(-3.1, abs=0.2)
    assert not is_night(noon, *TROMSO)


def test_tromso_midwinter_midnight_is_night() -> None:
    assert is_night(datetime(2026, 12, 21, 22, 45, tzinfo=UTC), *TROMSO)


def test_longyearbyen_midwinter_noon_is_night() -> None:
    assert is_night(datetime(2026, 12, 21, 11, 0, tzinfo=UTC), *LONGYEARBYEN)


def test_same_clock_hour_is_day_in_june_and_night_in_december() -> None:
    assert not is_night(datetime(2026, 6, 21, 19, 0, tzinfo=UTC), *TURIN)
    assert is_night(datetime(2026, 12, 21, 19, 0, tzinfo=UTC), *TURIN)


def test_night_starts_at_minus_six_degrees_not_at_sunset() -> None:
    just_after_sunset = datetime(2026, 6, 21, 19, 40, tzinfo=UTC)  # sun below horizon, above -6°
    assert -6 < solar_elevation(just_after_sunset, *TURIN) < 0
    assert not is_night(just_after_sunset, *TURIN)


# -- time handling ---------------------------------------------------------------------------------


def test_offset_datetimes_mean_the_same_instant() -> None:
    utc = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    rome = utc.astimezone(timezone(timedelta(hours=1)))
    assert solar_elevation(rome, *TURIN) == solar_elevation(utc, *TURIN)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_night(datetime(2026, 6, 21, 22, 0), *TURIN)


def test_naive_datetimes_in_an_object_array_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        solar_elevation(np.array([datetime(2026, 6, 21, 22, 0)], dtype=object), *TURIN)


def test_datetime64_seconds_and_nanoseconds_agree_with_datetimes() -> None:
    when = datetime(2026, 6, 21, 19, 57, tzinfo=UTC)
    expected = solar_elevation(when, *TURIN)
    for unit in ("s", "ns"):
        values = solar_elevation(np.array(["2026-06-21T19:57:00"], dtype=f"datetime64[{unit}]"), *TURIN)
        assert values[0] == pytest.approx(expected, abs=1e-9)


def test_elevation_broadcasts_over_times_and_places() -> None:
    times = minutes("2026-06-21", "12:00", 3)[:, None]
    elevation = solar_elevation(times, np.array([45.0, 60.0]), 7.0)
    assert elevation.shape == (3, 2)
    assert elevation[0, 0] > elevation[0, 1]  # further north, lower noon sun in June at these latitudes


def test_is_night_refuses_impossible_positions() -> None:
    with pytest.raises(ValueError, match="latitude must be between -90 and 90"):
        is_night(datetime(2026, 6, 21, tzinfo=UTC), 91.0, 7.0)


def test_day_night_labels_an_array() -> None:
    times = np.array(["2026-06-21T12:00", "2026-06-21T22:00"], dtype="datetime64[s]")
    assert day_night(times, *TURIN).tolist() == ["day", "night"]


def test_day_night_is_empty_for_missing_time_or_position() -> None:
    times = np.array(["NaT", "2026-06-21T12:00", "2026-06-21T12:00"], dtype="datetime64[s]")
    labels = day_night(times, np.array([45.0, np.nan, 45.0]), np.array([7.0, 7.0, 7.0]))
    assert labels.tolist() == ["", "", "day"]


def test_day_night_matches_is_night_over_a_day() -> None:
    times = minutes("2026-09-10", "00:00", 1440)
    expected = ["night" if is_night(datetime.fromisoformat(f"{t}+00:00"), *TURIN) else "day" for t in times]
    assert day_night(times, *TURIN).tolist() == expected
