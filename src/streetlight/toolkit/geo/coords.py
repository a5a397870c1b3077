"""Coordinate checks and great-circle distances on WGS84 latitude/longitude."""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np
import numpy.typing as npt

#: Mean Earth radius (IUGG), metres. The spherical model errs by < 0.5 %, far below GPS noise.
EARTH_RADIUS_M = 6_371_008.8


def _as_float(value: object, name: str) -> float:
    # Strings and bools are rejected on purpose: float("45") or True would hide a caller's bug.
    if isinstance(value, (str, bytes, bool)):
        raise ValueError(f"{name} must be a number")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number") from None


def validate_lat_lon(lat: object, lon: object) -> None:
    """Raise ValueError unless (lat, lon) is a finite WGS84 position.

    Accepts any real number (float, int, Decimal from a database column) so the web app can pass
    model fields straight through; the messages are meant to be shown to people as they are.
    """
    lat_f = _as_float(lat, "latitude")
    lon_f = _as_float(lon, "longitude")
    if not math.isfinite(lat_f):
        raise ValueError("latitude must be a finite number")
    if not math.isfinite(lon_f):
        raise ValueError("longitude must be a finite number")
    if not -90.0 <= lat_f <= 90.0:
        raise ValueError("latitude must be between -90 and 90")
    if not -180.0 <= lon_f <= 180.0:
        raise ValueError("longitude must be between -180 and 180")


def valid_lat_lon_mask(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Vectorised form of validate_lat_lon: True where the position is usable (NaN-safe)."""
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    with np.errstate(invalid="ignore"):
        return (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)


@overload
def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]: ...
def haversine_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in metres; broadcasts like numpy, returns a float for scalars.

    Haversine rather than the spherical law of cosines because it stays accurate for the short
    distances (metres) that matter when matching duplicate reports; taken with atan2 rather than
    arcsin, which loses up to a decimetre for nearly antipodal points.
    """
    phi1, lam1, phi2, lam2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((phi2 - phi1) / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2.0) ** 2
    a = np.clip(a, 0.0, 1.0)
    d = 2.0 * EARTH_RADIUS_M * np.arctan2(np.sqrt(a), np.sqrt(1.0 - a))
    return float(d) if np.ndim(d) == 0 else d


CIRCLE_SEGMENTS = 64


def circle_ring(lat: float, lon: float, radius_km: float, segments: int = CIRCLE_SEGMENTS) -> list[list[float]]:
    """A circle on the sphere as a closed counter-clockwise GeoJSON ring of [lon, lat] positions."""
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    delta = radius_km * 1000.0 / EARTH_RADIUS_M
    ring = []
    for k in range(segments):
        theta = -2.0 * math.pi * k / segments  # negative bearings: counter-clockwise, as RFC 7946 asks
        phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
        lambda2 = lambda1 + math.atan2(
            math.sin(theta) * math.sin(delta) * math.cos(phi1), math.cos(delta) - math.sin(phi1) * math.sin(phi2)
        )
        ring.append([round(math.degrees(lambda2), 7), round(math.degrees(phi2), 7)])
    ring.append(ring[0])
    return ring
