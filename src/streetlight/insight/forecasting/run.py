"""Making a forecast: backtest the candidate models on the city's own recent windows of the same kind,
publish the better of the plain and the context model, and write a card that shows both beside the
naive baseline.

The plain model is prospective hotspotting (Bowers, Johnson & Pease 2004). The toolkit's context
model is tried only when the calendar holds something (events, venues, paydays or holidays), and it
is published only if it caught more crimes than the plain one in the backtest. Every backtest
window ends before the forecast is made, so the choice never sees the window it forecasts.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from typing import Any

import numpy as np
from django.utils import timezone

from streetlight.toolkit.forecast import (
    BacktestSpec,
    Capture,
    ContextModel,
    Events,
    Forecaster,
    ForecastInputError,
    Grid,
    H3Grid,
    NaiveCounts,
    ProspectiveHotspot,
    Summary,
    run_backtest,
    summarise,
)
from streetlight.toolkit.forecast import Context as ToolkitContext

from ..models import Forecast
from .inputs import HISTORY_DAYS, RESOLUTION, ContextInputs, city_grid, crime_history, forecast_context
from .windows import Span, local, past_weekends, span_for, wall_clock

COVERAGE = 0.05
BACKTEST_DAYS = 28
BACKTEST_WEEKENDS = 8
PLAIN, CONTEXT, NAIVE = "prospective", "context", "naive"
Horizon = Forecast.Horizon


def _models(grid: Grid, *, with_context: bool) -> dict[str, Forecaster]:
    models: dict[str, Forecaster] = {PLAIN: ProspectiveHotspot(grid), NAIVE: NaiveCounts(grid)}
    if with_context:
        models[CONTEXT] = ContextModel(grid)
    return models


def _specs(horizon: str, now: datetime) -> list[BacktestSpec]:
    """Tomorrow: the last four weeks, day by day, up to today's midnight. Next weekend: the last
    eight whole weekends, so that a weekend forecast is judged on weekends."""
    if horizon == Horizon.DAY:
        end = wall_clock(local(timezone.localdate(now), time.min))
        start = end - np.timedelta64(BACKTEST_DAYS, "D")
        return [BacktestSpec(start=start, end=end, coverages=(COVERAGE,), curve=(COVERAGE,))]
    specs = []
    for span in past_weekends(now, BACKTEST_WEEKENDS):
        w = span.window()
        specs.append(
            BacktestSpec(start=w.start, end=w.end, window=w.end - w.start, coverages=(COVERAGE,), curve=(COVERAGE,))
        )
    return specs


def _backtest(
    events: Events, grid: Grid, models: dict[str, Forecaster], specs: list[BacktestSpec], context: ToolkitContext
) -> dict[str, Summary]:
    """The methods' captures pooled over the specs. A spec the toolkit refuses on its own (a quiet
    past weekend: no report, or its one or two reports just outside the city's grid) is left out,
    as long as another spec can judge the methods; if none can, its reason is raised."""
    captures: dict[str, list[Capture]] = {name: [] for name in models}
    refused: ForecastInputError | None = None
    for spec in specs:
        try:
            result = run_backtest(events, grid, models, spec, context=context, progress=False)
        except ForecastInputError as exc:
            refused = exc
            continue
        for name, method in result.methods.items():
            captures[name] += method.captures
    if refused is not None and not any(captures.values()):
        raise refused
    return {name: summarise(found)[0] for name, found in captures.items()}


def _figure(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def _score(summary: Summary) -> dict[str, float | None]:
    return {"hit_rate": _figure(summary.hit_rate_pooled), "pai": _figure(summary.pai_pooled)}


def _beats(a: Summary, b: Summary) -> bool:
    """Strictly more crimes caught; a tie keeps the simpler model."""
    rate_a, rate_b = a.hit_rate_pooled, b.hit_rate_pooled
    return not math.isnan(rate_a) and (math.isnan(rate_b) or rate_a > rate_b)


def forecast_run(*, horizon: str = Horizon.DAY, now: datetime | None = None) -> Forecast:
    """Backtest, choose, forecast and publish one window; raises ForecastInputError with a message
    when the city has too little history."""
    now = now or timezone.now()
    span = span_for(horizon, now)
    history = crime_history(until=now)
    grid = city_grid(history.projection)
    inputs = forecast_context(projection=history.projection, since=now - timedelta(days=HISTORY_DAYS), until=span.end)
    specs = _specs(horizon, now)
    context_error = ""
    try:
        scores = _backtest(history.events, grid, _models(grid, with_context=inputs.present), specs, inputs.context)
    except ForecastInputError as exc:
        if not inputs.present:
            raise
        context_error = str(exc)  # e.g. too short a history to learn the calendar: say so, go plain
        scores = _backtest(history.events, grid, _models(grid, with_context=False), specs, inputs.context)
    chosen = CONTEXT if CONTEXT in scores and _beats(scores[CONTEXT], scores[PLAIN]) else PLAIN
    window = span.window()
    model = _models(grid, with_context=chosen == CONTEXT)[chosen]
    risk = model.fit(history.events.before(window.start), inputs.context).predict(window)
    card = _card(horizon, history.events, grid, specs, scores, inputs, context_error)
    card["verdict"] = _verdict(scores, chosen, context_error)
    card["naive_as_good"] = not _beats(scores[chosen], scores[NAIVE])
    return _publish(horizon=horizon, now=now, span=span, chosen=chosen, risk=risk, grid=grid, card=card)


def _verdict(scores: dict[str, Summary], chosen: str, context_error: str) -> str:
    """What the card says about context: it won, it lost, it could not be fitted, or there was none."""
    if CONTEXT in scores:
        return "context_better" if chosen == CONTEXT else "context_not_better"
    return "context_failed" if context_error else "no_context"


def _card(
    horizon: str,
    events: Events,
    grid: Grid,
    specs: list[BacktestSpec],
    scores: dict[str, Summary],
    inputs: ContextInputs,
    context_error: str,
) -> dict[str, Any]:
    return {
        "horizon": horizon,
        "reports": len(events),
        "history_from": str(events.t[0])[:10],
        "history_to": str(events.t[-1])[:10],
        "cells": grid.n_cells,
        "coverage": COVERAGE,
        "backtest": {
            "windows": sum(len(s.windows()) for s in specs),
            "from": str(specs[0].start)[:10],
            "to": str(specs[-1].end - np.timedelta64(1, "s"))[:10],
            "events": scores[PLAIN].events,
        },
        "scores": {name: _score(summary) for name, summary in scores.items()},
        "context": inputs.card(),
        "context_error": context_error,
    }


def _publish(
    *, horizon: str, now: datetime, span: Span, chosen: str, risk: np.ndarray, grid: H3Grid, card: dict[str, Any]
) -> Forecast:
    """Keep the top COVERAGE of cells, their risk relative to the highest: places, never people."""
    flagged = max(1, round(COVERAGE * grid.n_cells))
    order = np.argsort(-risk, kind="stable")[:flagged]
    top = float(risk[order[0]]) or 1.0
    return Forecast.objects.create(
        created_at=now,
        horizon=horizon,
        window_start=span.start,
        window_end=span.end,
        method=chosen,
        resolution=RESOLUTION,
        cells=[{"cell": grid.cells[i], "risk": round(float(risk[i]) / top, 4)} for i in order],
        card={**card, "flagged": flagged},
    )


def forecasts_due(*, now: datetime | None = None, force: bool = False) -> list[str]:
    """The windows not yet forecast today (city's date). Tomorrow's comes last: the public
    transparency page shows the latest forecast made."""
    now = now or timezone.now()
    due = []
    for horizon in (Horizon.WEEKEND, Horizon.DAY):
        made = Forecast.objects.filter(horizon=horizon).order_by("-created_at").values_list("created_at", flat=True)
        latest = made.first()
        if force or latest is None or timezone.localdate(latest) < timezone.localdate(now):
            due.append(horizon.value)
    return due
