"""Rolling-origin backtest: for each window, fit on the events strictly before it, forecast, score.

The leakage rule is structural: a model only ever receives `events.before(window.start)`, and a
model refuses to predict a window its training data reach into. On day-resolution data an event of
the forecast day is stamped at its midnight, which is the window's start, so it is never "before".
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from tqdm import tqdm

from .errors import ForecastInputError
from .events import Events, Window, to_time
from .grid import Grid
from .metrics import TIE_RULES, Capture, Summary, capture, cells_for, summarise
from .models import Forecaster

if TYPE_CHECKING:
    from .context import Context

CURVE = tuple(round(0.01 * i, 2) for i in range(1, 21))


@dataclass(frozen=True)
class BacktestSpec:
    """What is fixed and reported: the period, the window length, the coverages, the tie rule."""

    start: np.datetime64
    end: np.datetime64  # exclusive: the last window ends here
    window: np.timedelta64 = field(default_factory=lambda: np.timedelta64(1, "D"))
    coverages: tuple[float, ...] = (0.05, 0.10)
    tie_rule: str = "expected"
    curve: tuple[float, ...] = CURVE  # coverages for the chart's hit-rate curve (pooled)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", to_time(self.start))
        object.__setattr__(self, "end", to_time(self.end))
        object.__setattr__(self, "window", np.timedelta64(self.window).astype("timedelta64[s]"))
        if not self.window > np.timedelta64(0, "s"):
            raise ForecastInputError("the forecast window must be longer than zero")
        if not self.end >= self.start + self.window:
            raise ForecastInputError(f"empty backtest period: {self.start} .. {self.end} holds no whole window")
        if self.tie_rule not in TIE_RULES:
            raise ForecastInputError(f"unknown tie rule {self.tie_rule!r}; choose one of {', '.join(TIE_RULES)}")
        if not self.coverages:
            raise ForecastInputError("give at least one coverage")

    def windows(self) -> list[Window]:
        starts = np.arange(self.start, self.end - self.window + np.timedelta64(1, "s"), self.window)
        return [Window(s, s + self.window) for s in starts]

    def describe(self) -> dict[str, Any]:
        return {
            "start": str(self.start),
            "end": str(self.end),
            "window_hours": float(self.window / np.timedelta64(1, "h")),
            "windows": len(self.windows()),
            "coverages": list(self.coverages),
            "tie_rule": self.tie_rule,
            "training": "all events strictly before each window's start (each model keeps its own span)",
        }


@dataclass
class MethodResult:
    name: str
    params: dict[str, Any]
    captures: list[Capture]
    curve: list[Capture]
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0

    def summary(self) -> list[Summary]:
        return summarise(self.captures)

    def curve_pooled(self) -> list[float]:
        hits = np.sum([c.hits for c in self.curve], axis=0)
        events = sum(c.events for c in self.curve)
        return [float(h / events) if events else math.nan for h in hits]


@dataclass
class BacktestResult:
    spec: BacktestSpec
    grid: dict[str, Any]
    windows: list[Window]
    methods: dict[str, MethodResult]
    events_in_windows: int
    events_outside: int
    seconds: float

    def to_dict(self, *, daily: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "spec": self.spec.describe(),
            "grid": self.grid,
            "events_in_windows": self.events_in_windows,
            "events_outside_study_area": self.events_outside,
            "seconds": round(self.seconds, 3),
            "metrics": "hit rate, PAI, PEI; mean of per-window values and pooled over all windows",
            "methods": {},
        }
        for name, m in self.methods.items():
            entry: dict[str, Any] = {
                "params": m.params,
                "fit_seconds": round(m.fit_seconds, 3),
                "predict_seconds": round(m.predict_seconds, 3),
                "scores": [asdict(s) for s in m.summary()],
                "curve": {"coverage": list(self.spec.curve), "hit_rate_pooled": m.curve_pooled()},
            }
            if daily:
                entry["windows"] = [
                    {
                        "start": str(w.start),
                        "events": c.events,
                        "hits": c.hits.round(4).tolist(),
                        "oracle": c.oracle.tolist(),
                    }
                    for w, c in zip(self.windows, m.captures, strict=True)
                ]
            out["methods"][name] = entry
        return out

    def table(self) -> str:
        """The scores as a plain-text table, one row per method and coverage."""
        head = f"{'method':<14}{'coverage':>9}{'cells':>7}{'hit mean':>10}{'hit pooled':>11}"
        head += f"{'PAI mean':>10}{'PAI pooled':>11}{'PEI mean':>10}{'PEI pooled':>11}"
        lines = [head, "-" * len(head)]
        for name, m in self.methods.items():
            for s in m.summary():
                lines.append(
                    f"{name:<14}{s.coverage:>9.1%}{s.cells:>7}{s.hit_rate_mean:>10.3f}{s.hit_rate_pooled:>11.3f}"
                    f"{s.pai_mean:>10.2f}{s.pai_pooled:>11.2f}{s.pei_mean:>10.3f}{s.pei_pooled:>11.3f}"
                )
        return "\n".join(lines)


def run_backtest(
    events: Events,
    grid: Grid,
    models: Mapping[str, Forecaster],
    spec: BacktestSpec,
    *,
    context: Context | None = None,
    progress: bool | None = None,
    on_window: Callable[[Window], None] | None = None,
) -> BacktestResult:
    """Fit each model before each window and score its forecast; see the module docstring.

    `progress`: a bar on stderr (None: only when stderr is a terminal).
    """
    if not models:
        raise ForecastInputError("give at least one method")
    windows = spec.windows()
    for c in (*spec.coverages, *spec.curve):
        cells_for(c, grid.n_cells)
    if not len(events.before(windows[0].start)):
        raise ForecastInputError(
            f"no event before the first window ({windows[0].start}): nothing to train on; start the backtest later"
        )
    results = {
        name: MethodResult(name=name, params={"model": type(m).__name__, **m.params()}, captures=[], curve=[])
        for name, m in models.items()
    }
    began = time.perf_counter()
    in_windows = outside = 0
    for window in tqdm(
        windows, desc="backtest", unit=" windows", disable=None if progress is None else not progress, file=sys.stderr
    ):
        train = events.before(window.start)
        test = events.between(window.start, window.end)
        cells = grid.locate(test)
        in_windows += len(test)
        outside += int((cells < 0).sum())
        cells = cells[cells >= 0]
        for name, model in models.items():
            t0 = time.perf_counter()
            model.fit(train, context)
            t1 = time.perf_counter()
            risk = model.predict(window)
            t2 = time.perf_counter()
            r = results[name]
            r.fit_seconds += t1 - t0
            r.predict_seconds += t2 - t1
            r.captures.append(capture(risk, cells, spec.coverages, cell_area=grid.cell_area, tie_rule=spec.tie_rule))
            r.curve.append(capture(risk, cells, spec.curve, cell_area=grid.cell_area, tie_rule=spec.tie_rule))
        if on_window is not None:
            on_window(window)
    if in_windows and outside == in_windows:
        raise ForecastInputError(
            "none of the events in the backtest windows falls inside the study area: check the x/y columns "
            "(swapped?) and that the boundary is in the same coordinates"
        )
    return BacktestResult(spec, grid.describe(), windows, results, in_windows, outside, time.perf_counter() - began)


def tune(
    events: Events,
    grid: Grid,
    candidates: Mapping[str, Callable[[], Forecaster]],
    spec: BacktestSpec,
    *,
    coverage: float = 0.05,
    context: Context | None = None,
) -> tuple[str, dict[str, float]]:
    """The candidate with the best pooled hit rate at `coverage` over `spec`'s windows.

    Temporal cross-validation: give a `spec` that ends before the period you will report, so the
    choice never sees it. Returns the best name and every candidate's score.
    """
    if spec.coverages != (coverage,):
        spec = BacktestSpec(spec.start, spec.end, spec.window, (coverage,), spec.tie_rule, (coverage,))
    scores: dict[str, float] = {}
    for name, make in candidates.items():
        result = run_backtest(events, grid, {name: make()}, spec, context=context, progress=False)
        scores[name] = result.methods[name].summary()[0].hit_rate_pooled
    return max(scores, key=lambda k: scores[k]), scores
