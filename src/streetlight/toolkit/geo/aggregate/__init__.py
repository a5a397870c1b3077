"""Counts of reports by place (H3 cell or area), category, kind, day/night, weekday, hour and
time window, on plain numpy arrays and without a Python loop per report."""

from .counts import CELL_RESOLUTIONS, DIMENSIONS, Aggregate, Pivot, aggregate, h3_cell_ints
from .factorize import count_combinations, factorize
from .timeparts import WINDOWS, night_mask, utc_offsets

__all__ = [
    "CELL_RESOLUTIONS",
    "DIMENSIONS",
    "WINDOWS",
    "Aggregate",
    "Pivot",
    "aggregate",
    "count_combinations",
    "factorize",
    "h3_cell_ints",
    "night_mask",
    "utc_offsets",
]
