"""Time parts of a report in the city's own calendar, and day or night at its place and moment."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from ..sun import NIGHT_BELOW_DEG, solar_elevation
from .factorize import IntArray, factorize

DAY_S = 86_400
WINDOWS = ("day", "week", "month", "quarter", "year")


def utc_seconds(times: npt.ArrayLike) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Whole UNIX seconds (0 where NaT) and the NaT mask; numpy times carry no zone, so UTC."""
    arr = np.asarray(times)
    if not np.issubdtype(arr.dtype, np.datetime64):
        raise ValueError("times must be a numpy datetime64 array (UTC)")
    secs = arr.astype("datetime64[s]")
    nat = np.isnat(secs)
    return np.where(nat, 0, secs.astype(np.int64)), nat


def utc_offsets(seconds: npt.ArrayLike, tz: tzinfo) -> IntArray:
    """The zone's UTC offset in seconds at each UNIX time.

    Offsets change a couple of times a year, so the zone database is asked twice per distinct day,
    and once per distinct second only on days when the offset changes.
    """
    secs = np.asarray(seconds, dtype=np.int64)
    if secs.size == 0 or tz is UTC:
        return np.zeros(secs.size, dtype=np.int64)
    day = secs // DAY_S
    days, inv = np.unique(day, return_inverse=True)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, UTC).astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    at_start = np.array([offset(int(d) * DAY_S) for d in days.tolist()], dtype=np.int64)
    at_end = np.array([offset(int(d) * DAY_S + DAY_S - 1) for d in days.tolist()], dtype=np.int64)
    out = at_start[inv.ravel()]
    changing = np.flatnonzero((at_start != at_end)[inv.ravel()])
    if changing.size:
        moments, back = np.unique(secs[changing], return_inverse=True)
        out[changing] = np.array([offset(int(t)) for t in moments.tolist()], dtype=np.int64)[back.ravel()]
    return out


def zone(tz: str | tzinfo | None) -> tzinfo:
    """The city's zone from an IANA name or a tzinfo; None means UTC."""
    if tz is None or tz == "UTC":
        return UTC
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def night_mask(times: npt.ArrayLike, lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """1 at night, 0 by day, -1 unknown: `day_night`'s civil-twilight rule as small integers.

    Same rule and same solar position as `toolkit.geo.day_night` (which returns the labels as text);
    integers avoid building a million strings only to group them again.
    """
    elevation = np.asarray(solar_elevation(np.asarray(times), lats, lons), dtype=float)
    out = (elevation < NIGHT_BELOW_DEG).astype(np.int8)
    out[np.isnan(elevation)] = -1
    return out


def window_labels(
    local: npt.NDArray[Any], window: str | npt.ArrayLike, utc: npt.NDArray[Any]
) -> tuple[IntArray, npt.NDArray[Any]]:
    if isinstance(window, str):
        if window not in WINDOWS:
            raise ValueError(f"unknown window {window!r}; choose one of {', '.join(WINDOWS)} or give edges")
        if window == "day":
            start = local.astype("datetime64[D]")
        elif window == "week":  # ISO weeks start on Monday; 1970-01-01 was a Thursday
            days = local.astype("datetime64[D]")
            start = days - ((days.astype(np.int64) + 3) % 7).astype("timedelta64[D]")
        elif window == "month":
            start = local.astype("datetime64[M]")
        elif window == "quarter":
            months = local.astype("datetime64[M]").astype(np.int64)
            start = (months - months % 3).astype("datetime64[M]")
        else:
            start = local.astype("datetime64[Y]")
        return factorize(start)
    edges = np.asarray(window).astype("datetime64[s]")
    if edges.ndim != 1 or edges.size < 2 or np.isnat(edges).any() or (np.diff(edges.astype(np.int64)) <= 0).any():
        raise ValueError("window edges must be at least two increasing datetime64 values")
    idx = np.searchsorted(edges, utc, side="right") - 1
    idx[(idx < 0) | (idx >= edges.size - 1) | np.isnat(utc)] = -1
    return idx.astype(np.int64), edges[:-1]
