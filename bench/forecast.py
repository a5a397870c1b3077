"""Forecast toolkit on real data: the reference oracle, every method's scores, beating the best
baseline with parameters tuned before the test period only, speed, and whether context helps.

Chicago residential burglary 2016 (day resolution, EPSG:26971 metres, city polygon): 150 m cells
inside the polygon, 306 next-day forecasts from 2016-03-01, training strictly before each day.
Houston 2010 (hourly, lon/lat): 6-hour windows, to see whether weekday / time-of-day context helps.
Full per-window results (JSON) and the hit-rate chart (SVG) go to var/bench/forecast/.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy
from scipy import ndimage

from streetlight.toolkit.forecast import (
    KDE,
    BacktestResult,
    BacktestSpec,
    Events,
    NaiveCounts,
    ProspectiveHotspot,
    SquareGrid,
    Window,
    read_events,
    run_backtest,
    tune,
)
from streetlight.toolkit.forecast.calendar import PaydayRule
from streetlight.toolkit.forecast.chart import hit_rate_svg
from streetlight.toolkit.forecast.context import Context
from streetlight.toolkit.forecast.context_model import ContextModel
from streetlight.toolkit.forecast.events import LocalProjection
from streetlight.toolkit.forecast.sepp import SEPP

from .common import ROOT

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


def chicago_data() -> tuple[Events, SquareGrid]:
    events = read_events(str(CHICAGO / "chicago_be.csv"), x="X", y="Y", date="date").events
    grid = SquareGrid.from_boundary(CHICAGO / "chicago_city_boundary_epsg26971.geojson", 150.0)
    return events, grid


def run_chicago(bench: ForecastBench) -> None:
    events, grid = chicago_data()
    spec = BacktestSpec(TEST_START, TEST_END)

    # Speed target: exactly the three baselines, one backtest.
    t0 = time.perf_counter()
    base = run_backtest(
        events,
        grid,
        {"naive": NaiveCounts(grid), "kde": KDE(grid), "prospective": ProspectiveHotspot(grid)},
        spec,
        progress=False,
    )
    bench.baseline_seconds = time.perf_counter() - t0
    for name, m in base.methods.items():
        bench.reference[name] = [s.hit_rate_mean for s in m.summary()]
    by_index = run_backtest(
        events, grid, {"naive": NaiveCounts(grid)}, BacktestSpec(TEST_START, TEST_END, tie_rule="index"), progress=False
    )
    bench.reference["naive (60 days, ties by cell index)"] = [
        s.hit_rate_mean for s in by_index.methods["naive"].summary()
    ]
    naive_all = run_backtest(events, grid, {"naive (all history)": NaiveCounts(grid, days=None)}, spec, progress=False)
    bench.reference["naive (all history)"] = [
        s.hit_rate_mean for s in naive_all.methods["naive (all history)"].summary()
    ]
    bench.nonzero_cells_60d = statistics.mean(
        float(np.count_nonzero(NaiveCounts(grid).fit(events.before(w.start)).predict(w))) for w in spec.windows()
    )

    # One prospective forecast (fit + predict), November 2016 as in the open_cp comparison.
    times = []
    for day in np.arange(np.datetime64("2016-11-01"), np.datetime64("2016-12-01")):
        w = Window.day(day)
        t1 = time.perf_counter()
        ProspectiveHotspot(grid).fit(events.before(w.start)).predict(w)
        times.append(time.perf_counter() - t1)
    bench.prospective_ms = statistics.median(times) * 1000
    t1 = time.perf_counter()
    cold = SquareGrid.from_boundary(CHICAGO / "chicago_city_boundary_epsg26971.geojson", 150.0)
    ProspectiveHotspot(cold).fit(events.before("2016-11-15")).predict(Window.day("2016-11-15"))
    bench.prospective_cold_ms = (time.perf_counter() - t1) * 1000

    # Beat the baseline: SEPP's one setting chosen on windows before the test period only.
    tuning_spec = BacktestSpec(TUNE_START, TEST_START)
    candidates = {
        f"sepp, background {bw:g} m": (lambda bw=bw: SEPP(grid, background_bandwidth_m=bw)) for bw in SEPP_BANDWIDTHS
    }
    bench.chosen, bench.tuning = tune(events, grid, candidates, tuning_spec, coverage=0.05)
    bandwidth = SEPP_BANDWIDTHS[list(candidates).index(bench.chosen)]

    t0 = time.perf_counter()
    fresh = SquareGrid.from_boundary(CHICAGO / "chicago_city_boundary_epsg26971.geojson", 150.0)
    sepp = SEPP(fresh, background_bandwidth_m=bandwidth).fit(events)  # cold: includes the kernel's build
    bench.sepp_fit_s = time.perf_counter() - t0
    bench.sepp_events = len(sepp.fit_events_)
    p = sepp.params_
    bench.sepp_params = {
        "theta": p.theta,
        "omega": p.omega,
        "sigma": p.sigma,
        "background_per_day": p.background_per_day,
    }

    models = {
        "naive": NaiveCounts(grid),
        "naive (all history)": NaiveCounts(grid, days=None),
        "kde": KDE(grid),
        "prospective": ProspectiveHotspot(grid),
        "sepp": SEPP(grid, background_bandwidth_m=bandwidth),
        "context": ContextModel(grid),
    }
    context = Context(paydays=(PaydayRule.parse("last working day"), PaydayRule.parse("day 15")))
    bench.chicago = run_backtest(events, grid, models, spec, context=context, progress=None)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "chicago.json").write_text(json.dumps(bench.chicago.to_dict(), indent=1) + "\n", encoding="utf-8")
    (OUT / "chicago.svg").write_text(
        hit_rate_svg(bench.chicago, "Chicago burglary 2016: next-day hit rate"), encoding="utf-8"
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


def run() -> ForecastBench:
    bench = ForecastBench()
    began = time.perf_counter()
    run_chicago(bench)
    run_houston(bench)
    bench.seconds = time.perf_counter() - began
    return bench


def _f(v: float, digits: int = 3) -> str:
    return "—" if v != v else f"{v:.{digits}f}"


def markdown(bench: ForecastBench, *, measured: str) -> list[str]:
    assert bench.chicago is not None
    lines = [
        "## Forecast",
        "",
        f"Measured {measured}. {os.cpu_count()} cores (shared), Python {platform.python_version()}, numpy "
        f"{np.__version__}, scipy {scipy.__version__}; one process. Whole forecast bench: {bench.seconds:.0f} s.",
        "",
        "`streetlight.toolkit.forecast` on Chicago residential burglary 2016 (day resolution, EPSG:26971): "
        f"150 m cells whose centre is inside the city polygon ({bench.chicago.grid['cells']:,} cells, aligned on "
        "multiples of 150 m), 306 next-day forecasts from 2016-03-01, each trained only on events strictly before "
        "its day. Hit rate = share of the day's events in the flagged cells; PAI = hit rate / share of the area "
        "flagged; PEI = hits / the most hits any cells of the same number could have had. Tie rule: cells tied at "
        "the cut-off count for the share of their group that fits (the expectation over every order of the tied "
        "cells). Per-window results and the hit-rate chart: `var/bench/forecast/chicago.json`, `chicago.svg`.",
        "",
        "### Reference oracle (mean of daily hit rates)",
        "",
        "| method | ours 5% | reference 5% | ours 10% | reference 10% | within ±0.005 |",
        "|---|---:|---:|---:|---:|---|",
    ]
    settings = {
        "naive": "counts over the previous 60 days",
        "naive (all history)": "counts over every earlier day",
        "kde": "Gaussian σ = 150 m between cell centres, previous 60 days",
        "prospective": "1/(1+d)·1/(1+t), d in Chebyshev cell steps < 400 m / 150 m, t in whole weeks < 8, "
        "previous 60 days",
    }
    idx5, idx10 = bench.reference["naive (60 days, ties by cell index)"]
    for name, (r5, r10) in REFERENCE.items():
        for ours_name in [name, "naive (all history)"] if name == "naive" else [name]:
            o5, o10 = bench.reference[ours_name]
            ok = abs(o5 - r5) <= TOLERANCE and abs(o10 - r10) <= TOLERANCE
            lines.append(
                f"| {ours_name} ({settings[ours_name]}) | {o5:.3f} | {r5:.3f} | {o10:.3f} | {r10:.3f} | "
                f"{'yes' if ok else '**no**'} ({o5 - r5:+.3f} / {o10 - r10:+.3f}) |"
            )
    lines += [
        "",
        "KDE and prospective reproduce the reference. Naive counts over 60 days do not: at 10 % coverage (2,661 "
        f"cells) more cells are flagged than had any burglary in the previous 60 days (on average "
        f"{bench.nonzero_cells_60d:,.0f}), so the rest of the flagged cells are all tied at zero and any hit "
        "rate above ≈0.26 there comes from how those ties are ordered, not from the data. Breaking them by "
        f"cell index gives {idx5:.3f} / {idx10:.3f}, not 0.330 either. Counts over every earlier "
        "day reproduce both reference figures, so the reference's naive most likely used the whole history; "
        "both rows are kept.",
        "",
        "### Every method on Chicago (306 next-day windows)",
        "",
        "| method | coverage | hit rate (mean) | hit rate (pooled) | PAI (mean) | PAI (pooled) | PEI (mean) "
        "| PEI (pooled) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in bench.chicago.methods.items():
        for s in m.summary():
            lines.append(
                f"| {name} | {s.coverage:.0%} | {_f(s.hit_rate_mean)} | {_f(s.hit_rate_pooled)} | "
                f"{_f(s.pai_mean, 2)} | {_f(s.pai_pooled, 2)} | {_f(s.pei_mean)} | {_f(s.pei_pooled)} |"
            )
    sepp5 = bench.chicago.methods["sepp"].summary()[0]
    speedup = OPEN_CP_S * 1000 / bench.prospective_ms
    best = max(bench.reference[n][0] for n in ("naive", "kde", "prospective"))
    reached = sepp5.hit_rate_mean >= BEAT_TARGET
    lines += [
        "",
        "On next-day windows the day's ~32 burglaries are fewer than the 1,331 cells flagged at 5 %, so the "
        "oracle catches every one of them and PEI equals the hit rate; PEI differs only for longer windows or "
        "much smaller coverages. `context` here has only the calendar (weekday, paydays: last working day and "
        "the 15th), which changes the expected count, not the ranking: its hit rate is that of its base (a KDE "
        "of all history, σ 200 m, 60-day exponential decay).",
        "",
        "### Beating the best baseline",
        "",
        f"Target: hit rate at 5 % ≥ {BEAT_TARGET} (mean of daily values). Best baseline: {best:.3f}. "
        f"**SEPP reaches {sepp5.hit_rate_mean:.3f}** (pooled {sepp5.hit_rate_pooled:.3f}, PAI "
        f"{sepp5.pai_mean:.2f}, PEI {sepp5.pei_mean:.3f}): target "
        f"{'reached' if reached else 'NOT reached'}, ratio {sepp5.hit_rate_mean / BEAT_TARGET:.3f}.",
        "",
        "How it was tuned, on data before the test period only: SEPP's parameters (θ, ω, σ, background) are "
        "fitted by EM on each day's training events. Its one setting, the background kernel's bandwidth, was "
        f"chosen from {', '.join(f'{b:g}' for b in SEPP_BANDWIDTHS)} m by a rolling-origin backtest of the same "
        "kind on the 39 days 2016-01-22 .. 2016-02-29 (training from 2016-01-01), best pooled hit rate at 5 %:",
        "",
        "| candidate | pooled hit rate at 5 %, 2016-01-22 .. 02-29 |",
        "|---|---:|",
        *[f"| {k}{' (chosen)' if k == bench.chosen else ''} | {v:.3f} |" for k, v in bench.tuning.items()],
        "",
        f"Margin: {sepp5.hit_rate_mean - BEAT_TARGET:+.3f} against the target. SEPP as a model family was "
        "chosen knowing the baselines' test figures, though none of its settings saw the test period; read it "
        "as reaching the target, not as a comfortable win. Most of the gain plausibly comes from the "
        "background using all earlier history (the baselines see 60 days) plus exact-location repeats.",
        "",
        "### Speed",
        "",
        "| what | measured | target | ratio to target |",
        "|---|---:|---:|---:|",
        f"| backtest of naive + KDE + prospective, 306 days | {bench.baseline_seconds:.1f} s | "
        f"< {BACKTEST_TARGET_S:.0f} s | "
        f"{bench.baseline_seconds / BACKTEST_TARGET_S:.2f} |",
        f"| one prospective forecast (fit + predict, median of Nov 2016; the first on a new grid, which builds "
        f"its neighbour list, {bench.prospective_cold_ms:.0f} ms) | {bench.prospective_ms:.1f} ms | "
        f"≥ {SPEEDUP_TARGET:.0f}× faster than open_cp's {OPEN_CP_S:.0f} s | "
        f"{speedup:,.0f}× faster ({speedup / SPEEDUP_TARGET:,.0f}× the target) |",
        f"| SEPP fit on a year ({bench.sepp_events:,} events of 2016; new grid, kernel built, EM run) | "
        f"{bench.sepp_fit_s:.2f} s | < {SEPP_FIT_TARGET_S:.0f} s | "
        f"{bench.sepp_fit_s / SEPP_FIT_TARGET_S:.3f} |",
        "",
        f"SEPP on the year: θ = {bench.sepp_params['theta']:.3f} events triggered per event, mean delay "
        f"1/ω = {1 / bench.sepp_params['omega']:.0f} days, σ = {bench.sepp_params['sigma']:.0f} m (the 10 m floor: "
        "the block-level coordinates put repeats at the very same point), background "
        f"{bench.sepp_params['background_per_day']:.1f} events/day. In the 306-day backtest SEPP's daily fits "
        f"(warm-started) took {bench.chicago.methods['sepp'].fit_seconds:.0f} s in all.",
    ]
    lines += _houston_markdown(bench)
    return lines


def _houston_markdown(bench: ForecastBench) -> list[str]:
    h = bench.houston
    result: BacktestResult = h["result"]
    names = list(result.methods)
    s0, s1 = (result.methods[n].summary() for n in names)
    c0, c1 = h["counts"]["no context"], h["counts"]["context"]
    helps_rank = s1[0].hit_rate_mean > s0[0].hit_rate_mean + 0.005
    helps_count = c1["deviance"] < c0["deviance"]
    lines = [
        "",
        "### Houston: does context help?",
        "",
        f"Houston 2010, all 7 offence types, hourly (local clock). {h['rows']:,} rows with coordinates; "
        f"{h['dropped_fallback']:,} at geocoding fallback points (one point carrying more than 20 different "
        f"addresses) and the far outliers removed, leaving {h['events']:,}. Study area: 250 m cells within 500 m "
        f"of an event before 2010-04-01 ({h['cells']:,} cells). 368 forecasts of 6-hour windows (00–06, 06–12, "
        "12–18, 18–24) from 2010-06-01 to 2010-08-31, each trained on all events before it.",
        "",
        "- *No context*: KDE of all history, σ 200 m, 60-day exponential decay; its count forecast is the "
        "recent average rate.",
        "- *Context*: the same KDE blended with a profile KDE of only the past events in the window's 6-hour "
        "block and day type (weekday/weekend), weight α; the count comes from a Poisson regression on weekday, "
        "6-hour block, paydays (the 15th, last working day) and US federal holidays, fitted on past windows. "
        f"α chosen from {', '.join(f'{a:g}' for a in PROFILE_WEIGHTS)} on April–May 2010 (before the test "
        "period): " + ", ".join(f"α {k}: {v:.3f}" for k, v in h["tuning"].items()) + f"; chosen α = {h['chosen']}.",
        "",
        "| model | hit rate 5% (mean) | pooled | PAI 5% | hit rate 10% (mean) | pooled | count MAE per window | "
        "count Poisson deviance |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| {names[0]} | {s0[0].hit_rate_mean:.3f} | {s0[0].hit_rate_pooled:.3f} | {s0[0].pai_mean:.2f} | "
        f"{s0[1].hit_rate_mean:.3f} | {s0[1].hit_rate_pooled:.3f} | {c0['mae']:.1f} | {c0['deviance']:.2f} |",
        f"| {names[1]} | {s1[0].hit_rate_mean:.3f} | {s1[0].hit_rate_pooled:.3f} | {s1[0].pai_mean:.2f} | "
        f"{s1[1].hit_rate_mean:.3f} | {s1[1].hit_rate_pooled:.3f} | {c1['mae']:.1f} | {c1['deviance']:.2f} |",
        "",
        f"Where: context {'helps' if helps_rank else 'does **not** help'} the ranking "
        f"({s1[0].hit_rate_mean - s0[0].hit_rate_mean:+.3f} at 5 %). How many: the calendar terms "
        f"{'do' if helps_count else 'do **not**'} improve the count forecast (MAE {c0['mae']:.1f} → {c1['mae']:.1f} "
        f"events per 6-hour window, deviance {c0['deviance']:.2f} → {c1['deviance']:.2f}); the baseline count is one "
        "rate for every hour of the day, so most of that gain is the time-of-day term. Per-window results: "
        "`var/bench/forecast/houston.json`. No real public-event, nightlife or weather files were available for "
        "these cities, so those covariates are tested only on synthetic data (tests), not measured here.",
    ]
    return lines
