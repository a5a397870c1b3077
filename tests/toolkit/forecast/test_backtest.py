"""The rolling-origin backtest: leakage, what is counted, and clear refusals."""

from __future__ import annotations

import numpy as np
import pytest

from streetlight.toolkit.forecast import (
    BacktestSpec,
    Events,
    ForecastInputError,
    NaiveCounts,
    SquareGrid,
    run_backtest,
    tune,
)
from streetlight.toolkit.forecast.chart import hit_rate_svg

GRID = SquareGrid.from_bounds(0, 0, 1000, 1000, 100)


def day_events(days: int, same_cell_each_day: bool) -> Events:
    """Two events a day. With `same_cell_each_day`, each day uses a cell no other day uses."""
    xs, ys, ts = [], [], []
    for d in range(days):
        cell = d if same_cell_each_day else 0
        x, y = 50 + 100 * (cell % 10), 50 + 100 * (cell // 10)
        day = np.datetime64("2016-01-01") + np.timedelta64(d, "D")
        xs += [x, x]
        ys += [y, y]
        ts += [day, day]
    return Events.from_arrays(xs, ys, np.array(ts, dtype="datetime64[s]"))


def test_a_days_own_events_are_never_in_its_training() -> None:
    # Every day's events sit in a cell never used before: a model that saw the day would hit them all.
    ev = day_events(20, same_cell_each_day=True)
    spec = BacktestSpec(np.datetime64("2016-01-05"), np.datetime64("2016-01-21"), coverages=(0.01,))
    result = run_backtest(ev, GRID, {"naive": NaiveCounts(GRID, days=1)}, spec, progress=False)
    (summary,) = result.methods["naive"].summary()
    assert summary.windows == 16 and summary.events == 32
    assert summary.hit_rate_pooled == 0.0


def test_a_repeating_place_is_found() -> None:
    ev = day_events(20, same_cell_each_day=False)
    spec = BacktestSpec(np.datetime64("2016-01-05"), np.datetime64("2016-01-21"), coverages=(0.01,))
    result = run_backtest(ev, GRID, {"naive": NaiveCounts(GRID)}, spec, progress=False)
    assert result.methods["naive"].summary()[0].hit_rate_mean == 1.0
    text = result.table()
    assert "naive" in text and "1.000" in text
    data = result.to_dict()
    assert data["spec"]["tie_rule"] == "expected" and len(data["methods"]["naive"]["windows"]) == 16
    assert hit_rate_svg(result).startswith("<svg") and "naive" in hit_rate_svg(result)


def test_events_outside_the_study_area_are_counted_not_scored() -> None:
    ev = Events.from_arrays([50, 50, 5000], [50, 50, 5000], ["2016-01-01", "2016-01-02", "2016-01-02"])
    spec = BacktestSpec(np.datetime64("2016-01-02"), np.datetime64("2016-01-03"), coverages=(0.01,))
    result = run_backtest(ev, GRID, {"naive": NaiveCounts(GRID)}, spec, progress=False)
    assert (result.events_in_windows, result.events_outside) == (2, 1)
    assert result.methods["naive"].summary()[0].hit_rate_pooled == 1.0


def test_only_outside_events_is_a_clear_error() -> None:
    ev = Events.from_arrays([50, 5000], [50, 5000], ["2016-01-01", "2016-01-02"])
    spec = BacktestSpec(np.datetime64("2016-01-02"), np.datetime64("2016-01-03"), coverages=(0.01,))
    with pytest.raises(ForecastInputError, match="falls inside the study area"):
        run_backtest(ev, GRID, {"naive": NaiveCounts(GRID)}, spec, progress=False)


def test_an_empty_period_and_no_training_data_are_refused() -> None:
    with pytest.raises(ForecastInputError, match="empty backtest period"):
        BacktestSpec(np.datetime64("2016-01-02"), np.datetime64("2016-01-02"))
    ev = day_events(3, same_cell_each_day=False)
    spec = BacktestSpec(np.datetime64("2016-01-01"), np.datetime64("2016-01-03"), coverages=(0.01,))
    with pytest.raises(ForecastInputError, match="nothing to train on"):
        run_backtest(ev, GRID, {"naive": NaiveCounts(GRID)}, spec, progress=False)


def test_tuning_picks_the_best_candidate_on_its_own_period() -> None:
    ev = day_events(20, same_cell_each_day=False)
    spec = BacktestSpec(np.datetime64("2016-01-05"), np.datetime64("2016-01-10"))
    best, scores = tune(
        ev,
        GRID,
        {"one day": lambda: NaiveCounts(GRID, days=1), "none": lambda: NaiveCounts(GRID, days=0)},
        spec,
        coverage=0.01,
    )
    assert best == "one day" and scores["one day"] == 1.0 and scores["none"] == pytest.approx(0.01)
