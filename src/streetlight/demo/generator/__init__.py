"""Synthetic reports for Portavera, the fictional demo city.

Why this exists: the demo, the control-room screens, the insight maps, the forecasts and the
benchmarks all need a year of believable reports, and none of them may ever touch a real
person's report. The generator draws them from patterns that the criminology of urban
insecurity documents well enough to make the demo recognisable to a city's analysts:

- night-time economy offences (violence, noise, drunken disorder, street harassment) peak on
  Friday and Saturday nights, 22:00-03:00 local time, in the districts with most nightlife;
- burglaries happen by day on weekdays, when homes are empty;
- cyber fraud against small businesses is noticed during office hours on weekdays;
- feelings of insecurity are reported mostly after dark, so more in winter, when it gets dark
  early (darkness is computed from the sun's elevation over the city, not from a fixed hour);
- theft peaks mildly in summer (bikes, tourists' pockets);
- sensitive reports (hate, harassment, violence against women) arrive later and are shared
  with the police far less often; victim support is chosen instead.

Pure Python and numpy (shapely is used for point-in-polygon when installed, with a numpy
fallback): it never imports Django, so it works in a notebook, the CLI and the test suite
alike. Output is deterministic for a given seed.

The package: `profiles` (how often, when, shared with whom), `space` (districts and points),
`clock` (hours, darkness, times), `text` (descriptions, phrases in data/description_phrases.json),
`core` (`generate_reports`) and `cli` (`python -m streetlight.demo.generator`).
"""

from __future__ import annotations

from .city import (
    CITY_LAT,
    CITY_LON,
    CITY_TZ,
    DATA_DIR,
    Report,
    load_categories,
    load_districts,
    load_support_services,
)
from .cli import main
from .core import generate_reports
from .profiles import LANGUAGES, STATUSES, UNSAFE_REASONS
from .space import points_in_geometry

__all__ = [
    "CITY_LAT",
    "CITY_LON",
    "CITY_TZ",
    "DATA_DIR",
    "LANGUAGES",
    "STATUSES",
    "UNSAFE_REASONS",
    "Report",
    "generate_reports",
    "load_categories",
    "load_districts",
    "load_support_services",
    "main",
    "points_in_geometry",
]
