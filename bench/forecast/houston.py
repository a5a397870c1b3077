"""Houston 2010, 6-hour windows: does weekday / time-of-day context help the ranking or the count?"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict

import numpy as np
from scipy import ndimage

from streetlight.toolkit.forecast import KDE, BacktestSpec, Events, SquareGrid, Window, run_backtest, tune
from streetlight.toolkit.forecast.calendar import PaydayRule
from streetlight.toolkit.forecast.context import Context
from streetlight.toolkit.forecast.context_model import ContextModel
from streetlight.toolkit.forecast.events import LocalProjection

from .config import (
    HOUSTON,
    HOUSTON_CELL,
    HOUSTON_HOLIDAYS,
    HOUSTON_REACH_M,
    HOUSTON_TEST_END,
    HOUSTON_TEST_START,
    HOUSTON_TUNE_START,
    OUT,
    PROFILE_WEIGHTS,
    ForecastBench,
)


def houston_data() -> tuple[Events, SquareGrid, int, int]:
    """Houston events in local metres; geocoding fallbacks (one point, >20 addresses) removed."""
    rows = []
    with gzip.open(HOUSTON, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["lon"] and row["lat"]:
                rows.append(row)
    addresses: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        addresses[(row["lon"], row["lat"])].add(row["address"])
    fallback = {k for k, v in addresses.items() if len(v) > 20}
    lon = np.array([float(r["lon"]) for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    keep = (lon > -95.9) & (lon < -95.0) & (lat > 29.4) & (lat < 30.2)
    keep &= np.array([(r["lon"], r["lat"]) not in fallback for r in rows])
    dropped_fallback = sum((r["lon"], r["lat"]) in fallback for r in rows)
    times = np.array([f"{r['date_local']}T{int(r['hour']):02d}:00:00" for r in rows], dtype="datetime64[s]")
    projection = LocalProjection.around(lon[keep], lat[keep])
    x, y = projection.forward(lon[keep], lat[keep])
    events = Events.from_arrays(x, y, times[keep], sort=True)
    # Study area: cells within 500 m of an event before the tuning period (the built-up city, known
    # before any window we score); the bounding box would be mostly fields and bayou.
    box = SquareGrid.from_bounds(float(x.min()), float(y.min()), float(x.max()) + 1, float(y.max()) + 1, HOUSTON_CELL)
    early = events.before(HOUSTON_TUNE_START)
    seen = np.zeros(box.ny * box.nx, dtype=bool)
    seen[box.flat[box.locate(early)]] = True
    reach = int(HOUSTON_REACH_M // HOUSTON_CELL)
    inside = ndimage.binary_dilation(seen.reshape(box.ny, box.nx), np.ones((2 * reach + 1, 2 * reach + 1), bool))
    grid = SquareGrid(HOUSTON_CELL, box.x0, box.y0, box.nx, box.ny, inside)
    return events, grid, len(rows), dropped_fallback


def run_houston(bench: ForecastBench) -> None:
    events, grid, rows, dropped = houston_data()
    six = np.timedelta64(6, "h")
    context = Context(
        holidays=HOUSTON_HOLIDAYS,
        paydays=(PaydayRule.parse("day 15"), PaydayRule.parse("last working day")),
    )
    # α (weight of the time-of-day/weekday profile) chosen on April–May, reported on June–August.
    tuning_spec = BacktestSpec(HOUSTON_TUNE_START, HOUSTON_TEST_START, six)
    candidates = {f"{a:g}": (lambda a=a: ContextModel(grid, profile_weight=a, window=six)) for a in PROFILE_WEIGHTS}
    chosen, tuned = tune(events, grid, candidates, tuning_spec, coverage=0.05, context=context)
    test = BacktestSpec(HOUSTON_TEST_START, HOUSTON_TEST_END, six)
    models = {
        "kde (no context)": KDE(grid, bandwidth_m=200.0, days=None, time_decay_days=60.0),
        f"context (profile α = {chosen})": ContextModel(grid, profile_weight=float(chosen), window=six),
    }
    counts: dict[str, list[tuple[float, int]]] = {"no context": [], "context": []}

    def record(window: Window) -> None:
        # Called after every model was fitted on the events before `window`.
        actual = len(events.between(window.start, window.end))
        base_model = models["kde (no context)"]
        counts["no context"].append((float(base_model.predict(window).sum()), actual))
        ctx_model = models[f"context (profile α = {chosen})"]
        assert isinstance(ctx_model, ContextModel)
        counts["context"].append((ctx_model.expected_total(window), actual))

    result = run_backtest(events, grid, models, test, context=context, progress=None, on_window=record)
    bench.houston = {
        "rows": rows,
        "events": len(events),
        "dropped_fallback": dropped,
        "cells": grid.n_cells,
        "tuning": tuned,
        "chosen": chosen,
        "result": result,
        "counts": {k: _count_scores(v) for k, v in counts.items()},
    }
    (OUT / "houston.json").write_text(json.dumps(result.to_dict(), indent=1) + "\n", encoding="utf-8")


def _count_scores(pairs: list[tuple[float, int]]) -> dict[str, float]:
    """Mean absolute error and mean Poisson deviance of the city-wide count per window."""
    pred = np.array([p for p, _ in pairs])
    obs = np.array([o for _, o in pairs], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(obs > 0, obs * np.log(obs / pred), 0.0)
    return {"mae": float(np.abs(pred - obs).mean()), "deviance": float((2 * (term - (obs - pred))).mean())}
