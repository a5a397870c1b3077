"""Where the sun is, so "at night" means dark at that place and date, not a fixed clock hour.

Insecurity is felt very differently after dark, and dark at 20:00 in Turin in December is broad
daylight in June; a fixed hour would mislabel a third of the year. We follow the NOAA solar
position algorithm (the one behind NOAA's solar calculator spreadsheet, from Meeus' *Astronomical
Algorithms*), accurate to about 0.01° between 1900 and 2100, vectorised with numpy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from .coords import valid_lat_lon_mask, validate_lat_lon

#: Civil twilight ends when the sun's centre is 6° below the horizon: street lights are on and
#: faces are hard to recognise. Geometric elevation (no refraction), as the definition requires.
NIGHT_BELOW_DEG = -6.0


def _aware_to_seconds(when: datetime) -> float:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (Streetlight stores times in UTC)")
    return when.timestamp()


def _unix_seconds(when: Any) -> npt.NDArray[np.float64]:
    """Seconds since the epoch as floats (NaN for NaT); datetime64 values are taken as UTC."""
    if isinstance(when, datetime):
        return np.asarray(_aware_to_seconds(when))
    arr = np.asarray(when)
    if np.issubdtype(arr.dtype, np.datetime64):
        micro = arr.astype("datetime64[us]")
        seconds = micro.astype(np.int64).astype(float) / 1e6
        return np.where(np.isnat(micro), np.nan, seconds)
    if arr.dtype == object:
        flat = [_aware_to_seconds(w) if isinstance(w, datetime) else _bad_time(w) for w in arr.ravel()]
        return np.asarray(flat, dtype=float).reshape(arr.shape)
    raise ValueError("times must be timezone-aware datetimes or numpy datetime64 values (UTC)")


def _bad_time(value: object) -> float:
    if value is None:
        return float("nan")
    raise ValueError(f"not a datetime: {value!r}")


def _elevation_deg(seconds: Any, lat: Any, lon: Any) -> npt.NDArray[np.float64]:
    t = np.asarray(seconds, dtype=float)
    phi = np.radians(np.asarray(lat, dtype=float))
    lon_deg = np.asarray(lon, dtype=float)
    jd = t / 86400.0 + 2440587.5
    jc = (jd - 2451545.0) / 36525.0  # Julian centuries since J2000.0

    mean_long = np.mod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0)
    mean_anom = np.radians(357.52911 + jc * (35999.05029 - 0.0001537 * jc))
    ecc = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
    centre = (
        np.sin(mean_anom) * (1.914602 - jc * (0.004817 + 0.000014 * jc))
        + np.sin(2 * mean_anom) * (0.019993 - 0.000101 * jc)
        + np.sin(3 * mean_anom) * 0.000289
    )
    omega = np.radians(125.04 - 1934.136 * jc)
    app_long = np.radians(mean_long + centre - 0.00569 - 0.00478 * np.sin(omega))
    mean_obliq = 23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0
    obliq = np.radians(mean_obliq + 0.00256 * np.cos(omega))
    decl = np.arcsin(np.sin(obliq) * np.sin(app_long))

    y = np.tan(obliq / 2.0) ** 2
    l0 = np.radians(mean_long)
    eq_time_min = 4.0 * np.degrees(
        y * np.sin(2 * l0)
        - 2 * ecc * np.sin(mean_anom)
        + 4 * ecc * y * np.sin(mean_anom) * np.cos(2 * l0)
        - 0.5 * y * y * np.sin(4 * l0)
        - 1.25 * ecc * ecc * np.sin(2 * mean_anom)
    )
    minutes_utc = np.mod(t, 86400.0) / 60.0
    true_solar_min = np.mod(minutes_utc + eq_time_min + 4.0 * lon_deg, 1440.0)
    hour_angle = np.radians(true_solar_min / 4.0 - 180.0)

    cos_zenith = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour_angle)
    return np.asarray(90.0 - np.degrees(np.arccos(np.clip(cos_zenith, -1.0, 1.0))), dtype=float)


@overload
def solar_elevation(when_utc: datetime, lat: float, lon: float) -> float: ...
@overload
def solar_elevation(when_utc: Any, lat: npt.ArrayLike, lon: npt.ArrayLike) -> Any: ...
def solar_elevation(when_utc: Any, lat: Any, lon: Any) -> Any:
    """Geometric elevation of the sun's centre above the horizon, in degrees.

    `when_utc` is a tz-aware datetime, or numpy datetime64 scalars/arrays read as UTC (numpy has no
    time zones; naive Python datetimes are refused because their zone is a guess). Broadcasts over
    times, latitudes and longitudes; returns a float when every input is a scalar, NaN for NaT and
    for positions outside the WGS84 range.
    """
    elevation = _elevation_deg(_unix_seconds(when_utc), lat, lon)
    elevation = np.where(valid_lat_lon_mask(lat, lon), elevation, np.nan)
    return float(elevation) if elevation.ndim == 0 else elevation


def is_night(when: datetime, lat: float, lon: float) -> bool:
    """True when the sun is more than 6° below the horizon (civil twilight has ended)."""
    if not isinstance(when, datetime):
        raise ValueError("when must be a timezone-aware datetime")
    validate_lat_lon(lat, lon)
    return bool(solar_elevation(when, lat, lon) < NIGHT_BELOW_DEG)


def day_night(times: Any, lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Label many reports "day" or "night" at once; "" where the time or position is missing.

    An empty label rather than a guess: a report filed as "day" because its time was NaT would
    quietly bias the night-time insecurity maps.
    """
    elevation = np.asarray(solar_elevation(times, lats, lons), dtype=float)
    labels = np.where(elevation < NIGHT_BELOW_DEG, "night", "day")
    return np.where(np.isnan(elevation), "", labels)
