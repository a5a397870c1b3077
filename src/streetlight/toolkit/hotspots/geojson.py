"""Hotspot results as GeoJSON FeatureCollections, ready for Leaflet or a GIS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import h3
import numpy as np
import numpy.typing as npt

from streetlight.toolkit.geo import h3_polygon

from .gistar import CLASS_NAMES, GiStar
from .kde import DensitySurface


def _finite(value: float, digits: int) -> float | None:
    return None if not np.isfinite(value) else round(float(value), digits)


def gi_star_geojson(
    cells: Sequence[str] | npt.ArrayLike, result: GiStar, values: npt.ArrayLike | None = None
) -> dict[str, Any]:
    """One hexagon per cell with its value, z, p, FDR-adjusted p and class (NaN becomes null)."""
    labels = [str(c) for c in np.asarray(cells, dtype=object).ravel().tolist()]
    if len(labels) != result.z.size:
        raise ValueError("one cell per Gi* result")
    vals = [None] * len(labels) if values is None else np.asarray(values, dtype=float).ravel().tolist()
    features = [
        {
            "type": "Feature",
            "id": cell,
            "properties": {
                "cell": cell,
                "value": v,
                "z": _finite(z, 4),
                "p": _finite(p, 6),
                "p_adjusted": _finite(q, 6),
                "class": int(c),
                "label": CLASS_NAMES[int(c)],
            },
            "geometry": h3_polygon(cell),
        }
        for cell, v, z, p, q, c in zip(
            labels,
            vals,
            result.z.tolist(),
            result.p.tolist(),
            result.p_adjusted.tolist(),
            result.classes.tolist(),
            strict=True,
        )
    ]
    return {
        "type": "FeatureCollection",
        "properties": {"method": "Getis-Ord Gi*", "fdr": "Benjamini-Hochberg" if result.fdr else None},
        "features": features,
    }


def surface_to_h3(surface: DensitySurface, resolution: int) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The surface read at the centre of every H3 cell whose centre lies on the grid."""
    south, north = float(surface.lat_edges[0]), float(surface.lat_edges[-1])
    west, east = float(surface.lon_edges[0]), float(surface.lon_edges[-1])
    box = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
    cells = sorted(h3.h3shape_to_cells(box, resolution))
    centres = np.array([h3.cell_to_latlng(c) for c in cells], dtype=float).reshape(-1, 2)
    return cells, surface.at(centres[:, 0], centres[:, 1])


def surface_h3_geojson(surface: DensitySurface, resolution: int, *, min_density: float = 0.0) -> dict[str, Any]:
    """The surface as H3 hexagons (density at each centre), those above `min_density`."""
    cells, density = surface_to_h3(surface, resolution)
    features = [
        {
            "type": "Feature",
            "id": cell,
            "properties": {"cell": cell, "density_per_km2": round(float(d), 6)},
            "geometry": h3_polygon(cell),
        }
        for cell, d in zip(cells, density.tolist(), strict=True)
        if d > min_density
    ]
    return {
        "type": "FeatureCollection",
        "properties": {"bandwidth_m": surface.bandwidth_m, "resolution": resolution, "unit": "reports per km²"},
        "features": features,
    }
