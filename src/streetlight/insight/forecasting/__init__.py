"""Flashpoint forecasts for the analysts: tomorrow and the next weekend, on H3 cells inside the
city, from the city's own crime reports and its context calendar, each with a card that puts its
backtest beside the naive baseline. `streetlight tick` makes both once a day.

windows: the periods forecast; inputs: reports, cells and calendar as toolkit structures;
run: backtest, choose, publish; shown: what the dashboard shows; calendar: the editable calendar.
"""

from .run import forecast_run, forecasts_due
from .shown import ShownForecasts, forecasts_shown

__all__ = ["ShownForecasts", "forecast_run", "forecasts_due", "forecasts_shown"]
