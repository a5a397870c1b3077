"""Tomorrow's flashpoints for the analysts: the toolkit's prospective hotspot model on the city's own
crime reports, H3 cells inside the city, with a card that puts its backtested hit rate beside the
naive baseline. Run daily (`streetlight tick` does it when the last one is a day old)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np
from django.utils import timezone
from shapely.geometry import shape
from shapely.ops import unary_union

from streetlight.reports.models import Area
from streetlight.toolkit.forecast import (
    BacktestSpec,
    Events,
    ForecastInputError,
    H3Grid,
    LocalProjection,
    NaiveCounts,
    ProspectiveHotspot,
    Window,
    run_backtest,
)

from .data import countable
from .models import Forecast

RESOLUTION = 9
COVERAGE = 0.05
HISTORY_DAYS = 365
BACKTEST_DAYS = 28
DUE_AFTER = timedelta(hours=20)


def _events(until: datetime) -> tuple[Events, LocalProjection, int]:
    rows = list(
        countable()
        .filter(
            kind="crime",
            lat__isnull=False,
            occurred_from__lt=until,
            occurred_from__gte=until - timedelta(days=HISTORY_DAYS),
        )
        .order_by("occurred_from")
        .values_list("lon", "lat", "occurred_from")
    )
    if len(rows) < 20:
        raise ForecastInputError(f"only {len(rows)} crime reports with a place in the last year: too few to forecast")
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    when = np.array([r[2].astimezone(UTC).replace(tzinfo=None) for r in rows], dtype="datetime64[s]")
    projection = LocalProjection.around(lon, lat)
    x, y = projection.forward(lon, lat)
    return Events(x, y, when, lon, lat), projection, len(rows)


def _midnight(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _utc(value: datetime) -> np.datetime64:
    return np.datetime64(value.astimezone(UTC).replace(tzinfo=None), "s")


def forecast_run(*, now: datetime | None = None) -> Forecast:
    """Backtest on the last four weeks, then forecast the next day; raises ForecastInputError with a
    message when the city has too little history."""
    now = now or timezone.now()
    tomorrow = _midnight(timezone.localdate(now) + timedelta(days=1))
    events, projection, n = _events(now)
    boundary = unary_union([shape(a.geometry) for a in Area.objects.all()])
    grid = H3Grid.from_boundary(boundary, RESOLUTION, projection)
    models = {"prospective": ProspectiveHotspot(grid), "naive": NaiveCounts(grid)}
    start = tomorrow - timedelta(days=BACKTEST_DAYS + 1)
    backtest = run_backtest(
        events,
        grid,
        models,
        BacktestSpec(start=_utc(start), end=_utc(tomorrow - timedelta(days=1)), coverages=(COVERAGE,)),
        progress=False,
    )
    scores = {name: result.summary()[0] for name, result in backtest.methods.items()}
    model = models["prospective"].fit(events.before(_utc(tomorrow)))
    risk = model.predict(Window(_utc(tomorrow), _utc(tomorrow + timedelta(days=1))))
    flagged = max(1, round(COVERAGE * grid.n_cells))
    order = np.argsort(-risk, kind="stable")[:flagged]
    top = float(risk[order[0]]) or 1.0
    card = {
        "method": "Prospective hotspotting (Bowers, Johnson & Pease 2004): 400 m, 8 weeks",
        "inputs": f"{n} crime reports with a place, from the year before the forecast",
        "history_from": str(events.t[0])[:10],
        "history_to": str(events.t[-1])[:10],
        "cells": grid.n_cells,
        "flagged": flagged,
        "coverage": COVERAGE,
        "backtest_days": BACKTEST_DAYS,
        "hit_rate": scores["prospective"].hit_rate_pooled,
        "pai": scores["prospective"].pai_pooled,
        "naive_hit_rate": scores["naive"].hit_rate_pooled,
        "naive_pai": scores["naive"].pai_pooled,
        "events_scored": scores["prospective"].events,
    }
    return Forecast.objects.create(
        created_at=now,
        window_start=tomorrow,
        window_end=tomorrow + timedelta(days=1),
        method="prospective",
        resolution=RESOLUTION,
        cells=[{"cell": grid.cells[i], "risk": round(float(risk[i]) / top, 4)} for i in order],
        card=card,
    )


def forecast_due(*, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    latest = Forecast.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return latest is None or now - latest >= DUE_AFTER


def latest_forecast() -> Forecast | None:
    return Forecast.objects.order_by("-created_at").first()
