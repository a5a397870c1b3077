"""When: the window cut into hours with their local calendar facts, darkness, and times drawn
from each category's temporal profile.

Darkness is the sun's elevation over the city, from the toolkit (`streetlight.toolkit.geo`):
below civil twilight (-6°) is when people say "it was dark", so winter evenings count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from streetlight.toolkit.geo import NIGHT_BELOW_DEG, solar_elevation

from .city import CITY_LAT, CITY_LON, CITY_TZ, DAY_S, HOUR_S, BoolArray, FloatArray, IntArray
from .profiles import PROFILE_NAMES, PROFILES, Profile


def is_dark(when_utc: NDArray[Any]) -> BoolArray:
    """After civil dusk and before civil dawn over the city, at numpy datetime64 times (UTC)."""
    dark: BoolArray = np.asarray(solar_elevation(when_utc, CITY_LAT, CITY_LON) < NIGHT_BELOW_DEG)
    return dark


def utc_offsets(ts: IntArray) -> IntArray:
    """The city's UTC offset (seconds) at each UNIX time. Offsets only change a couple of times
    a year, so it asks the zone database once per day and hour-by-hour only on change days."""
    day0 = ts - ts % DAY_S
    days = np.unique(day0)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, CITY_TZ).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    at_start = np.array([offset(int(t)) for t in days], dtype=np.int64)
    at_end = np.array([offset(int(t) + DAY_S - 1) for t in days], dtype=np.int64)
    out = at_start[np.searchsorted(days, day0)]
    for t, a, b in zip(days, at_start, at_end, strict=True):
        if a != b:
            on_day = np.flatnonzero(day0 == t)
            out[on_day] = [offset(int(x)) for x in ts[on_day]]
    return out


@dataclass(frozen=True)
class HourGrid:
    """The window cut into UTC hours, each with its local calendar facts."""

    start: IntArray  # UNIX seconds, clipped to the window
    width: IntArray  # seconds of the hour inside the window
    hour: IntArray  # local hour 0..23
    weekday: IntArray  # local weekday, Monday = 0
    evening_weekday: IntArray  # weekday of the evening a small hour belongs to
    doy: IntArray  # local day of year, 1..366
    dark: BoolArray


def hour_grid(t0: int, t1: int) -> HourGrid:
    edges = np.arange(t0 - t0 % HOUR_S, t1, HOUR_S, dtype=np.int64)
    start = np.maximum(edges, t0)
    width = np.minimum(edges + HOUR_S, t1) - start
    local = edges + utc_offsets(edges)
    local_days = local // DAY_S
    dates = local_days.astype("datetime64[D]")
    doy = (dates - dates.astype("datetime64[Y]")).astype(np.int64) + 1
    return HourGrid(
        start=start,
        width=width,
        hour=(local % DAY_S) // HOUR_S,
        weekday=(local_days + 3) % 7,  # 1970-01-01 was a Thursday
        evening_weekday=((local - 6 * HOUR_S) // DAY_S + 3) % 7,
        doy=doy,
        dark=is_dark((start * 1000 + width * 500).astype("datetime64[ms]")),  # mid-hour
    )


def _profile_weights(grid: HourGrid, profile: Profile) -> FloatArray:
    weekday = grid.evening_weekday if profile.evening_weekday else grid.weekday
    w = np.asarray(profile.hourly)[grid.hour] * np.asarray(profile.weekday)[weekday]
    if profile.season_amplitude:
        w = w * (1 + profile.season_amplitude * np.cos(2 * np.pi * (grid.doy - profile.season_peak_doy) / 365.25))
    if profile.dark_factor != 1.0:
        w = w * np.where(grid.dark, profile.dark_factor, 1.0)
    weights: FloatArray = w * grid.width / HOUR_S
    return weights


def sample_times(rng: np.random.Generator, grid: HourGrid, profile_idx: IntArray) -> IntArray:
    """UNIX seconds for each report, drawn hour by hour from its temporal profile."""
    out = np.empty(profile_idx.size, dtype=np.int64)
    for p, name in enumerate(PROFILE_NAMES):
        rows = np.flatnonzero(profile_idx == p)
        if rows.size == 0:
            continue
        cum = np.cumsum(_profile_weights(grid, PROFILES[name]))
        bins = np.searchsorted(cum, rng.random(rows.size) * cum[-1], side="right")
        bins = np.minimum(bins, cum.size - 1)
        out[rows] = grid.start[bins] + (rng.random(rows.size) * grid.width[bins]).astype(np.int64)
    return out
