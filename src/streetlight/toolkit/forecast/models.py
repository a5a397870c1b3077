"""Forecast models on cells: naive counts, kernel density (space and time decay), prospective
hotspotting (Bowers, Johnson & Pease 2004), and a weighted blend of any of them.

Every model follows one contract: `fit(events, context)` learns from events that all happened
before the window to forecast, `predict(window)` returns each cell's risk, the expected number of
events in the cell during the window. A model refuses to predict a window its training data reach
into: that is the same-day leakage that flatters so many published backtests.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from scipy import sparse

from .errors import ForecastInputError
from .events import Events, FloatArray, Window, days_between
from .grid import Grid, IntArray

if TYPE_CHECKING:
    from .context import Context


class Forecaster(ABC):
    """Base of the models: stores the training events inside the study area, guards the window.

    Parameters are set in `__init__` and never changed by `fit` (the scikit-learn contract): what
    `fit` learns ends in `_`.
    """

    name = "model"

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    def fit(self, events: Events, context: Context | None = None) -> Self:
        cells = self.grid.locate(events)
        inside = cells >= 0
        self.events_ = events.select(inside) if not inside.all() else events
        self.cells_: IntArray = cells[inside]
        self.outside_ = int((~inside).sum())
        self.trained_until_ = events.t[-1] if len(events) else None
        self.context_ = context
        self._fit()
        return self

    def _fit(self) -> None:  # noqa: B027 - an optional hook: the count models learn nothing more
        """Model-specific learning, after the events are placed in cells."""

    def predict(self, window: Window) -> FloatArray:
        if not hasattr(self, "cells_"):
            raise ForecastInputError(f"{self.name}: call fit() before predict()")
        if self.trained_until_ is not None and self.trained_until_ >= window.start:
            raise ForecastInputError(
                f"{self.name}: the training events reach {self.trained_until_}, inside or after the window starting "
                f"{window.start}; train only on events strictly before the window"
            )
        return self._predict(window)

    @abstractmethod
    def _predict(self, window: Window) -> FloatArray: ...

    def params(self) -> dict[str, Any]:
        """The settings that define the model, for reports."""
        return {}

    # -- helpers shared by the kernel models ------------------------------------------------------

    def _recent(self, start: np.datetime64, days: float | None) -> tuple[IntArray, FloatArray]:
        """Cells and ages (days before `start`) of training events at most `days` old."""
        ages = days_between(start, self.events_.t)
        keep = slice(None) if days is None else ages <= days
        return self.cells_[keep], ages[keep]

    def _rate_scale(self, ages: FloatArray, days: float | None, window: Window) -> float:
        """Events per window length in the training span: turns a relative score into counts."""
        span = days if days is not None else (float(ages.max()) if len(ages) else 1.0)
        return window.days / max(span, 1e-9)


def _kernel_matrix(grid: Grid, key: tuple[object, ...], build: Any) -> sparse.csr_matrix:
    """A cell-by-cell kernel, built once per grid and setting (kept in the grid's cache)."""
    cache = grid._cache
    if key not in cache:
        i, j, v = build()
        cache[key] = sparse.csr_matrix((v, (i, j)), shape=(grid.n_cells, grid.n_cells))
    return cache[key]


class NaiveCounts(Forecaster):
    """Tomorrow looks like the last `days` days: the count of events in each cell (None: all history)."""

    name = "naive"

    def __init__(self, grid: Grid, *, days: float | None = 60) -> None:
        super().__init__(grid)
        self.days = days

    def _predict(self, window: Window) -> FloatArray:
        cells, ages = self._recent(window.start, self.days)
        counts = np.bincount(cells, minlength=self.grid.n_cells).astype(float)
        return counts * self._rate_scale(ages, self.days, window)

    def params(self) -> dict[str, Any]:
        return {"days": self.days}


class KDE(Forecaster):
    """Kernel density: each past event spreads a Gaussian of `bandwidth_m` over the cells around it.

    Events are taken at their cell's centre and the kernel is evaluated between centres (one sparse
    product per forecast). With `time_decay_days`, an event of age a weighs exp(−a / decay): old
    events fade instead of falling off a cliff at `days`.
    """

    name = "kde"

    def __init__(
        self,
        grid: Grid,
        *,
        bandwidth_m: float = 150.0,
        days: float | None = 60,
        time_decay_days: float | None = None,
        truncate: float = 4.0,
    ) -> None:
        super().__init__(grid)
        self.bandwidth_m, self.days, self.time_decay_days, self.truncate = bandwidth_m, days, time_decay_days, truncate

    def kernel(self) -> sparse.csr_matrix:
        h = float(self.bandwidth_m)
        if not h > 0:
            raise ForecastInputError(f"kde: the bandwidth must be positive, got {h}")

        def build() -> tuple[IntArray, IntArray, FloatArray]:
            i, j, d = self.grid.neighbours(self.truncate * h)
            # A density times the cell's area: each event's weights sum to ~1 over an unbounded grid.
            return i, j, np.exp(-(d**2) / (2 * h * h)) * self.grid.cell_area[j] / (2 * math.pi * h * h)

        return _kernel_matrix(self.grid, ("gauss", h, self.truncate), build)

    def _predict(self, window: Window) -> FloatArray:
        cells, ages = self._recent(window.start, self.days)
        weights = np.exp(-ages / self.time_decay_days) if self.time_decay_days else np.ones(len(ages))
        mass = np.bincount(cells, weights, minlength=self.grid.n_cells)
        risk = self.kernel().T @ mass
        if self.time_decay_days:
            return np.asarray(risk * window.days / self.time_decay_days, dtype=float)
        return np.asarray(risk * self._rate_scale(ages, self.days, window), dtype=float)

    def params(self) -> dict[str, Any]:
        return {"bandwidth_m": self.bandwidth_m, "days": self.days, "time_decay_days": self.time_decay_days}


class ProspectiveHotspot(Forecaster):
    """Bowers, Johnson & Pease (2004): weight 1/(1+d) · 1/(1+t) for each past event.

    d is the distance in cell steps (Chebyshev rings on squares, H3 rings on hexagons) and must be
    under `bandwidth_m` / cell spacing; t is the age in whole weeks and must be under
    `time_bandwidth_weeks`. These are open_cp's classic settings (400 m, 8 weeks).
    """

    name = "prospective"

    def __init__(
        self, grid: Grid, *, bandwidth_m: float = 400.0, time_bandwidth_weeks: int = 8, days: float | None = 60
    ) -> None:
        super().__init__(grid)
        self.bandwidth_m, self.time_bandwidth_weeks, self.days = bandwidth_m, time_bandwidth_weeks, days

    def max_steps(self) -> int:
        spacing = spacing_m(self.grid)
        return max(0, math.ceil(self.bandwidth_m / spacing - 1e-9) - 1)

    def kernel(self) -> sparse.csr_matrix:
        steps = self.max_steps()

        def build() -> tuple[IntArray, IntArray, FloatArray]:
            i, j, d = self.grid.steps(steps)
            return i, j, 1.0 / (1.0 + d)

        return _kernel_matrix(self.grid, ("bowers", steps), build)

    def _predict(self, window: Window) -> FloatArray:
        cells, ages = self._recent(window.start, self.days)
        weeks = np.floor(ages / 7.0)
        weights = np.where(weeks < self.time_bandwidth_weeks, 1.0 / (1.0 + weeks), 0.0)
        mass = np.bincount(cells, weights, minlength=self.grid.n_cells)
        return np.asarray(self.kernel().T @ mass, dtype=float) * self._rate_scale(ages, self.days, window)

    def params(self) -> dict[str, Any]:
        return {
            "bandwidth_m": self.bandwidth_m,
            "max_steps": self.max_steps(),
            "time_bandwidth_weeks": self.time_bandwidth_weeks,
            "days": self.days,
        }


def spacing_m(grid: Grid) -> float:
    """Distance between the centres of neighbouring cells."""
    size = getattr(grid, "cell_size", None)
    if size is not None:
        return float(size)
    return math.sqrt(2 * float(np.mean(grid.cell_area)) / math.sqrt(3))


class Blend(Forecaster):
    """A weighted sum of models' risk shares, scaled to the first model's total.

    Each part is fitted on the same events, so the blend obeys the same leakage rule. Weights are
    settings: choose them by a backtest on data before the period you report (see backtest.tune).
    """

    name = "blend"

    def __init__(self, grid: Grid, parts: Mapping[str, Forecaster], weights: Mapping[str, float]) -> None:
        super().__init__(grid)
        if not parts or set(parts) != set(weights):
            raise ForecastInputError("blend: give one weight per part")
        self.parts, self.weights = dict(parts), dict(weights)

    def fit(self, events: Events, context: Context | None = None) -> Self:
        for part in self.parts.values():
            part.fit(events, context)
        return super().fit(events, context)

    def _predict(self, window: Window) -> FloatArray:
        total = 0.0
        risk = np.zeros(self.grid.n_cells)
        for k, (name, part) in enumerate(self.parts.items()):
            r = part.predict(window)
            s = float(r.sum())
            if k == 0:
                total = s
            if s > 0:
                risk += self.weights[name] * r / s
        return risk * total / max(float(sum(self.weights.values())), 1e-12)

    def params(self) -> dict[str, Any]:
        return {name: {"weight": self.weights[name], **part.params()} for name, part in self.parts.items()}
