"""H3 cells: the unit in which Streetlight publishes locations without exposing the exact point."""

from __future__ import annotations

from typing import Any

import h3
import numpy as np
import numpy.typing as npt

from .coords import valid_lat_lon_mask, validate_lat_lon


def validate_resolution(resolution: object) -> int:
    """Return the resolution as an int, or raise ValueError: H3 only defines 0..15."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise ValueError("H3 resolution must be an integer between 0 and 15")
    if not 0 <= int(resolution) <= 15:
        raise ValueError(f"H3 resolution must be between 0 and 15, got {resolution}")
    return int(resolution)


def h3_cell(lat: float, lon: float, resolution: int) -> str:
    """The H3 cell (hex string) containing the point."""
    res = validate_resolution(resolution)
    validate_lat_lon(lat, lon)
    return str(h3.latlng_to_cell(float(lat), float(lon), res))


def _unique_positions(
    lats: npt.ArrayLike, lons: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], npt.NDArray[np.bool_], tuple[int, ...]]:
    """Deduplicate valid positions: h3-py v4 has no array API, so each distinct point costs a call."""
    lat, lon = np.broadcast_arrays(np.asarray(lats, dtype=float), np.asarray(lons, dtype=float))
    shape = lat.shape
    lat, lon = lat.ravel(), lon.ravel()
    ok = valid_lat_lon_mask(lat, lon)
    pairs = np.column_stack([lat[ok], lon[ok]])
    uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
    return uniq, inverse.ravel(), ok, shape


def h3_cells(lats: npt.ArrayLike, lons: npt.ArrayLike, resolution: int) -> npt.NDArray[np.object_]:
    """Cells for many points (object array of str; None where the position is invalid or NaN).

    Bulk data always has a few broken rows, so they become None instead of aborting the batch.
    """
    res = validate_resolution(resolution)
    uniq, inverse, ok, shape = _unique_positions(lats, lons)
    cells = np.array([h3.latlng_to_cell(la, lo, res) for la, lo in uniq.tolist()] + [None], dtype=object)
    out = np.full(ok.size, None, dtype=object)
    out[ok] = cells[:-1][inverse]
    return out.reshape(shape)


def blur_point(lat: float, lon: float, *, resolution: int = 8) -> tuple[float, float]:
    """Centre of the H3 cell containing the point, as (lat, lon).

    Snapping to a cell centre (rather than adding random noise) is idempotent and cannot be
    averaged away by publishing the same report twice; at resolution 8 cells are ~0.7 km² wide.
    """
    lat_c, lon_c = h3.cell_to_latlng(h3_cell(lat, lon, resolution))
    return float(lat_c), float(lon_c)


def blur_points(
    lats: npt.ArrayLike, lons: npt.ArrayLike, *, resolution: int = 8
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """Vectorised blur_point: (lats, lons, cells), NaN/None where the input position is invalid."""
    cells = h3_cells(lats, lons, resolution)
    flat = cells.ravel()
    has = flat != None  # noqa: E711 - elementwise comparison on an object array
    uniq, inverse = np.unique(flat[has].astype(str), return_inverse=True)
    centres = np.array([h3.cell_to_latlng(c) for c in uniq.tolist()], dtype=float).reshape(-1, 2)
    out_lat = np.full(flat.size, np.nan)
    out_lon = np.full(flat.size, np.nan)
    out_lat[has] = centres[inverse.ravel(), 0]
    out_lon[has] = centres[inverse.ravel(), 1]
    return out_lat.reshape(cells.shape), out_lon.reshape(cells.shape), cells


def h3_polygon(cell: str) -> dict[str, Any]:
    """The cell's hexagon (or pentagon) as a GeoJSON Polygon, [lon, lat] and closed."""
    ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(cell)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
