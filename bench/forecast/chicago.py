"""Chicago residential burglary 2016: the reference oracle, every method, SEPP tuned before the test
period, and the speed figures."""

from __future__ import annotations

import json
import statistics
import time

import numpy as np

from streetlight.toolkit.forecast import (
    KDE,
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
from streetlight.toolkit.forecast.sepp import SEPP

from .config import CHICAGO, OUT, SEPP_BANDWIDTHS, TEST_END, TEST_START, TUNE_START, ForecastBench


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
