"""Flashpoint forecasting on cells, with context, and its backtest.

Models (naive counts, KDE, prospective hotspotting, a self-exciting point process, context
covariates) share one contract: `fit(events, context)` on events strictly before a window, then
`predict(window)` gives each cell's expected number of events. Forecasts are about places and times,
never about people: no model takes or returns anything about a person.
"""

from .backtest import BacktestResult, BacktestSpec, run_backtest, tune
from .calendar import PaydayRule, load_holidays
from .context import Context, OpeningHours, PublicEvent, Venue
from .context_model import ContextModel
from .errors import ForecastInputError
from .events import Events, LoadedEvents, LocalProjection, Window, read_events
from .grid import Grid, H3Grid, SquareGrid, load_boundary
from .metrics import Capture, Summary, capture, summarise
from .models import KDE, Blend, Forecaster, NaiveCounts, ProspectiveHotspot
from .sepp import SEPP, SEPPParams, simulate

__all__ = [
    "KDE",
    "SEPP",
    "BacktestResult",
    "BacktestSpec",
    "Blend",
    "Capture",
    "Context",
    "ContextModel",
    "Events",
    "ForecastInputError",
    "Forecaster",
    "Grid",
    "H3Grid",
    "LoadedEvents",
    "LocalProjection",
    "NaiveCounts",
    "OpeningHours",
    "PaydayRule",
    "ProspectiveHotspot",
    "PublicEvent",
    "SEPPParams",
    "SquareGrid",
    "Summary",
    "Venue",
    "Window",
    "capture",
    "load_boundary",
    "load_holidays",
    "read_events",
    "run_backtest",
    "simulate",
    "summarise",
    "tune",
]
