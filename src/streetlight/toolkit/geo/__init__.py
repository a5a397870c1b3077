"""Geography for Streetlight: which area a point is in, H3 cells, distances, day and night.

Pure Python on plain floats and numpy arrays (never Django), so the same code serves the web
app, a notebook and the `streetlight geo` command line verbs.
"""

from .aggregate import CELL_RESOLUTIONS, DIMENSIONS, WINDOWS, Aggregate, Pivot, aggregate, h3_cell_ints, night_mask
from .areas import AreaIndex, GeoDataError
from .cells import blur_point, blur_points, h3_cell, h3_cells, h3_polygon, validate_resolution
from .coords import EARTH_RADIUS_M, circle_ring, haversine_m, valid_lat_lon_mask, validate_lat_lon
from .sun import NIGHT_BELOW_DEG, day_night, is_night, solar_elevation

__all__ = [
    "CELL_RESOLUTIONS",
    "DIMENSIONS",
    "EARTH_RADIUS_M",
    "NIGHT_BELOW_DEG",
    "WINDOWS",
    "Aggregate",
    "AreaIndex",
    "GeoDataError",
    "Pivot",
    "aggregate",
    "blur_point",
    "blur_points",
    "circle_ring",
    "day_night",
    "h3_cell",
    "h3_cell_ints",
    "h3_cells",
    "h3_polygon",
    "haversine_m",
    "is_night",
    "night_mask",
    "solar_elevation",
    "valid_lat_lon_mask",
    "validate_lat_lon",
    "validate_resolution",
]
