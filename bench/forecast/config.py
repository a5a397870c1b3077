"""Where the forecast bench's data and outputs are, its targets and settings, and the result it fills in."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from streetlight.toolkit.forecast import BacktestResult

from ..common import ROOT

DATA = Path(os.environ.get("STREETLIGHT_FORECAST_DATA", str(ROOT.parent / "shared" / "data")))
CHICAGO = DATA / "chicago-burglary-2016"
HOUSTON = DATA / "houston-crime-2010" / "houston_crime_2010.csv.gz"
OUT = ROOT / "var" / "bench" / "forecast"

# The reference figures (scratch numpy code; mean of daily values at 5% / 10%).
REFERENCE = {"naive": (0.211, 0.330), "kde": (0.214, 0.328), "prospective": (0.207, 0.316)}
TOLERANCE = 0.005
BEAT_TARGET = 0.23  # hit rate at 5%, mean of daily values
BACKTEST_TARGET_S = 10.0  # naive + KDE + prospective, 306 days
OPEN_CP_S = 11.0  # open_cp ProspectiveHotSpot, seconds per daily forecast
SPEEDUP_TARGET = 30.0
SEPP_FIT_TARGET_S = 60.0
TEST_START, TEST_END = np.datetime64("2016-03-01"), np.datetime64("2017-01-01")
TUNE_START = np.datetime64("2016-01-22")  # tuning windows 2016-01-22 .. 2016-02-29, before the test period
SEPP_BANDWIDTHS = (150.0, 200.0, 300.0, 400.0, 500.0)
# US federal holidays in Jan–Aug 2010 (OPM's 2010 list; 4 July fell on a Sunday, observed on 5 July).
HOUSTON_HOLIDAYS = frozenset(
    np.array(["2010-01-01", "2010-01-18", "2010-02-15", "2010-05-31", "2010-07-05"], dtype="datetime64[D]").astype(
        object
    )
)
PROFILE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
HOUSTON_CELL = 250.0
HOUSTON_REACH_M = 500.0
HOUSTON_TUNE_START = np.datetime64("2010-04-01")
HOUSTON_TEST_START, HOUSTON_TEST_END = np.datetime64("2010-06-01"), np.datetime64("2010-09-01")


@dataclass
class ForecastBench:
    reference: dict[str, list[float]] = field(default_factory=dict)
    chicago: BacktestResult | None = None
    baseline_seconds: float = 0.0
    prospective_ms: float = 0.0
    prospective_cold_ms: float = 0.0
    tuning: dict[str, float] = field(default_factory=dict)
    chosen: str = ""
    sepp_fit_s: float = 0.0
    sepp_params: dict[str, float] = field(default_factory=dict)
    sepp_events: int = 0
    nonzero_cells_60d: float = 0.0
    houston: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
