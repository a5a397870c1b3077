"""The self-exciting point process: EM recovers the parameters of a process it did not see."""

from __future__ import annotations

import numpy as np
import pytest

from streetlight.toolkit.forecast import Events, ForecastInputError, SquareGrid, Window
from streetlight.toolkit.forecast.sepp import SEPP, simulate


def test_em_recovers_known_parameters_from_a_simulated_process() -> None:
    events = simulate(background_per_day=4, theta=0.5, omega=0.4, sigma=60, days=300, size_m=4000, seed=7)
    assert 2000 < len(events) < 3000
    grid = SquareGrid.from_bounds(0, 0, 4000, 4000, 100)
    model = SEPP(grid, background_bandwidth_m=500, max_distance_m=400, max_days=40).fit(events)
    p = model.params_
    assert p.theta == pytest.approx(0.5, rel=0.15)
    assert p.omega == pytest.approx(0.4, rel=0.15)
    assert p.sigma == pytest.approx(60, rel=0.15)
    assert p.background_per_day == pytest.approx(4, rel=0.15)


def test_forecast_is_background_plus_recent_triggering() -> None:
    events = simulate(background_per_day=4, theta=0.5, omega=0.4, sigma=60, days=120, size_m=4000, seed=3)
    grid = SquareGrid.from_bounds(0, 0, 4000, 4000, 100)
    model = SEPP(grid, background_bandwidth_m=500).fit(events)
    window = Window(events.t[-1] + np.timedelta64(1, "s"), events.t[-1] + np.timedelta64(86401, "s"))
    risk = model.predict(window)
    background = model.background_.sum() * window.days
    assert risk.sum() > background  # recent events add their expected offspring
    last = int(grid.locate(events)[-1])
    assert risk[last] > 2 * model.background_[last] * window.days  # yesterday's event raises its own cell


def test_too_few_events_is_a_clear_error() -> None:
    grid = SquareGrid.from_bounds(0, 0, 1000, 1000, 100)
    one = Events.from_arrays([50], [50], ["2016-01-01"])
    with pytest.raises(ForecastInputError, match="at least 2 events"):
        SEPP(grid).fit(one)
