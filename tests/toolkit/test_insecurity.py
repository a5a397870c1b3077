"""The perceived-insecurity index: shrunk toward the city mean, withheld below min_n, and always
shown with the number of inputs behind it."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from scipy import stats

from streetlight.toolkit.insecurity import DEFAULT_WEIGHTS, insecurity_index, insecurity_value


def test_values_run_from_safe_to_very_unsafe() -> None:
    assert insecurity_value(score=[1, 2, 3, 4, 5]).tolist() == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert insecurity_value(unsafe=[True, False]).tolist() == [1.0, 0.0]
    both = insecurity_value(score=[np.nan, 4], unsafe=[1, 1], probability=[0.3, 0.9])
    assert both.tolist() == [0.3, 0.25]  # a score wins over a probability, which wins over a flag


@pytest.mark.parametrize("kwargs", [{"score": [0]}, {"score": [6]}, {"probability": [1.2]}, {}])
def test_values_outside_their_scale_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        insecurity_value(**kwargs)


def test_no_index_from_too_few_inputs_but_the_count_is_shown() -> None:
    result = insecurity_index([1.0, 1.0], ["report", "report"], ["cell-a", "cell-a"])
    row = result.to_rows()[0]
    assert row["index"] is None and row["low"] is None and row["n"] == 2 and row["n_report"] == 2


def test_small_places_are_shrunk_toward_the_city_mean() -> None:
    values = [1.0] * 5 + [0.0] * 5
    units = ["a"] * 5 + ["b"] * 5
    result = insecurity_index(values, ["feeling"] * 10, units, prior_strength=5.0)
    by_unit = {r["unit"]: r for r in result.to_rows()}
    assert by_unit["a"]["index"] == pytest.approx(75.0)  # (5·1 + 5·0.5) / (5 + 5)
    assert by_unit["b"]["index"] == pytest.approx(25.0)
    assert by_unit["a"]["city_mean"] == pytest.approx(50.0)


def test_many_inputs_speak_for_themselves() -> None:
    units = ["a"] * 400 + ["b"] * 400
    values = [0.9] * 400 + [0.1] * 400
    result = insecurity_index(values, ["feeling"] * 800, units)
    a = next(r for r in result.to_rows() if r["unit"] == "a")
    assert a["index"] == pytest.approx(90.0, abs=0.6)
    assert a["low"] < a["index"] < a["high"] and a["high"] - a["low"] < 5


def test_intervals_narrow_as_inputs_grow() -> None:
    rng = np.random.default_rng(1)
    units = np.repeat(["small", "large"], [8, 200])
    values = rng.random(208)
    rows = {r["unit"]: r for r in insecurity_index(values, ["report"] * 208, units).to_rows()}
    width = {u: r["high"] - r["low"] for u, r in rows.items()}
    assert width["large"] < width["small"]


def test_sources_are_weighted_and_counted_separately() -> None:
    values = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    sources = ["safety_walk", "post", "post", "feeling", "report", "report"]
    result = insecurity_index(values, sources, ["x"] * 6, prior_strength=1e-9)
    row = result.to_rows()[0]
    weighted = (2.0 * 1 + 1.0 * 1) / (2.0 + 0.5 + 0.5 + 1.0 + 1.0 + 1.0)
    assert row["index"] == pytest.approx(100 * weighted, abs=1e-6)
    assert (row["n_report"], row["n_feeling"], row["n_safety_walk"], row["n_post"]) == (2, 1, 1, 2)
    assert row["n"] == 6


def test_each_period_is_shrunk_toward_its_own_city_mean() -> None:
    values = [1.0] * 6 + [0.0] * 6
    periods = ["night"] * 6 + ["day"] * 6
    result = insecurity_index(values, ["feeling"] * 12, ["a"] * 12, periods)
    means = {r["period"]: r["city_mean"] for r in result.to_rows()}
    assert means == {"night": pytest.approx(100.0), "day": pytest.approx(0.0)}


def test_the_index_matches_a_straightforward_computation() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    units = rng.choice(["a", "b", "c", "d"], n)
    periods = rng.choice(["2026-01", "2026-02"], n)
    sources = rng.choice(["report", "feeling", "safety_walk", "post"], n)
    values = rng.random(n)
    got = {(r["unit"], r["period"]): r for r in insecurity_index(values, sources, units, periods).to_rows()}
    m = 5.0
    for period in ("2026-01", "2026-02"):
        sel = periods == period
        w_all = np.array([DEFAULT_WEIGHTS[s] for s in sources[sel]])
        mu = (w_all * values[sel]).sum() / w_all.sum()
        groups: dict[str, list[int]] = defaultdict(list)
        for i in np.flatnonzero(sel).tolist():
            groups[units[i]].append(i)
        for unit, idx in groups.items():
            w = np.array([DEFAULT_WEIGHTS[sources[i]] for i in idx])
            y = values[idx]
            a, b = (w * y).sum() + m * mu, (w * (1 - y)).sum() + m * (1 - mu)
            row = got[(unit, period)]
            assert row["n"] == len(idx)
            assert row["index"] == pytest.approx(round(100 * a / (a + b), 2))
            assert row["low"] == pytest.approx(round(100 * stats.beta.ppf(0.05, a, b), 2))


def test_inputs_without_a_value_or_place_are_ignored() -> None:
    result = insecurity_index([np.nan, 0.5, 0.5], ["report"] * 3, ["a", None, "a"], min_n=1)
    assert result.n.tolist() == [1]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([0.5], ["tweet"], ["a"]), {}, "unknown source"),
        (([1.5], ["report"], ["a"]), {}, "between 0 and 1"),
        (([0.5], ["report", "post"], ["a"]), {}, "one source per value"),
        (([0.5], ["report"], ["a"]), {"min_n": 0}, "min_n"),
        (([0.5], ["report"], ["a"]), {"level": 1.0}, "level"),
    ],
)
def test_bad_inputs_are_refused(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        insecurity_index(*args, **kwargs)
