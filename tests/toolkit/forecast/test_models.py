"""The baseline models on hand-made events, and the guard against training on the window."""

from __future__ import annotations

import numpy as np
import pytest

from streetlight.toolkit.forecast import (
    KDE,
    Blend,
    Events,
    ForecastInputError,
    NaiveCounts,
    ProspectiveHotspot,
    SquareGrid,
    Window,
)

GRID = SquareGrid.from_bounds(0, 0, 1000, 1000, 100)  # 10 × 10 cells; cell index = row * 10 + col


def events(*items: tuple[float, float, str]) -> Events:
    return Events.from_arrays([i[0] for i in items], [i[1] for i in items], [i[2] for i in items])


def test_naive_counts_the_last_days_and_scales_to_the_window() -> None:
    ev = events((50, 50, "2016-01-01"), (50, 50, "2016-01-09"), (150, 50, "2016-01-10"))
    risk = NaiveCounts(GRID, days=5).fit(ev).predict(Window.day("2016-01-11"))
    assert risk[0] == pytest.approx(1 / 5) and risk[1] == pytest.approx(1 / 5)  # the first event is 10 days old
    assert risk.sum() == pytest.approx(2 / 5)


def test_kde_spreads_each_event_and_keeps_its_mass() -> None:
    ev = events((550, 550, "2016-01-01"))
    risk = KDE(GRID, bandwidth_m=100, days=None).fit(ev).predict(Window.day("2016-01-02"))
    assert int(np.argmax(risk)) == 55
    assert risk[54] == pytest.approx(risk[56]) and risk[45] == pytest.approx(risk[65])
    assert risk[54] / risk[55] == pytest.approx(np.exp(-0.5))
    assert risk.sum() == pytest.approx(1.0, rel=1e-3)  # one event per day, a one-day window


def test_kde_time_decay_weighs_old_events_less() -> None:
    ev = events((50, 50, "2016-01-01"), (950, 950, "2016-01-30"))
    risk = KDE(GRID, bandwidth_m=100, days=None, time_decay_days=10).fit(ev).predict(Window.day("2016-01-31"))
    assert risk[0] / risk[99] == pytest.approx(np.exp(-29 / 10))


def test_prospective_weights_by_cell_steps_and_whole_weeks() -> None:
    ev = events((550, 550, "2016-01-01"), (550, 550, "2016-01-10"))
    model = ProspectiveHotspot(GRID, bandwidth_m=250, time_bandwidth_weeks=8).fit(ev)
    assert model.max_steps() == 2  # steps 0, 1, 2 are under 250 m / 100 m
    risk = model.predict(Window.day("2016-01-15"))
    week_weights = 1 / (1 + 2) + 1 / (1 + 0)  # 14 days old → 2 weeks; 5 days old → week 0
    scale = risk[55] / week_weights
    assert risk[56] == pytest.approx(scale * week_weights / 2)  # one step away
    assert risk[77] == pytest.approx(scale * week_weights / 3)  # two steps (diagonal counts as one per step)
    assert risk[58] == 0.0  # three steps away


def test_a_model_refuses_a_window_its_training_data_reach_into() -> None:
    ev = events((50, 50, "2016-01-01"), (50, 50, "2016-01-02"))
    model = NaiveCounts(GRID).fit(ev)
    with pytest.raises(ForecastInputError, match="strictly before the window"):
        model.predict(Window.day("2016-01-02"))
    assert model.predict(Window.day("2016-01-03")).sum() > 0


def test_predict_before_fit_is_a_clear_error() -> None:
    with pytest.raises(ForecastInputError, match=r"call fit\(\) before predict\(\)"):
        KDE(GRID).predict(Window.day("2016-01-02"))


def test_a_blend_mixes_risk_shares() -> None:
    ev = events((50, 50, "2016-01-01"), (950, 950, "2016-01-01"))
    parts = {"a": NaiveCounts(GRID, days=None), "b": KDE(GRID, bandwidth_m=100, days=None)}
    risk = Blend(GRID, parts, {"a": 3.0, "b": 1.0}).fit(ev).predict(Window.day("2016-01-02"))
    assert risk.sum() == pytest.approx(2.0)
    assert risk[0] > risk[1] > 0
