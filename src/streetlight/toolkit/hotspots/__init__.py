"""Hotspots: a kernel density surface of where reports concentrate, and Getis-Ord Gi* with
z-scores, p-values and a false-discovery-rate correction, as numbers and as GeoJSON."""

from .geojson import gi_star_geojson, h3_polygon, surface_h3_geojson, surface_to_h3
from .gistar import CLASS_NAMES, LEVELS, GiStar, classify, gi_star
from .kde import DensitySurface, kde_surface, scott_bandwidth_m
from .weights import cells_as_ints, grid_neighbours, h3_neighbours

__all__ = [
    "CLASS_NAMES",
    "LEVELS",
    "DensitySurface",
    "GiStar",
    "cells_as_ints",
    "classify",
    "gi_star",
    "gi_star_geojson",
    "grid_neighbours",
    "h3_neighbours",
    "h3_polygon",
    "kde_surface",
    "scott_bandwidth_m",
    "surface_h3_geojson",
    "surface_to_h3",
]
