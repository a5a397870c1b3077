"""Forecast toolkit on real data: the reference oracle, every method's scores, beating the best
baseline with parameters tuned before the test period only, speed, and whether context helps.

Chicago residential burglary 2016 (day resolution, EPSG:26971 metres, city polygon): 150 m cells
inside the polygon, 306 next-day forecasts from 2016-03-01, training strictly before each day.
Houston 2010 (hourly, lon/lat): 6-hour windows, to see whether weekday / time-of-day context helps.
Full per-window results (JSON) and the hit-rate chart (SVG) go to var/bench/forecast/.
"""

from __future__ import annotations

import time

from .chicago import chicago_data, run_chicago
from .config import ForecastBench
from .houston import houston_data, run_houston
from .report import markdown

__all__ = ["ForecastBench", "chicago_data", "houston_data", "markdown", "run", "run_chicago", "run_houston"]


def run() -> ForecastBench:
    bench = ForecastBench()
    began = time.perf_counter()
    run_chicago(bench)
    run_houston(bench)
    bench.seconds = time.perf_counter() - began
    return bench
