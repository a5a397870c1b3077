"""A self-exciting point process (ETAS-style; Mohler et al. 2011), fitted by expectation-maximisation.

Intensity at place s and time t (events per m² per day):

    λ(s, t) = μ(s) + Σ_{t_j < t} θ · ω e^{−ω (t − t_j)} · N(s − s_j; σ)

μ is the background: a kernel density of the events, each weighted by the probability that it was
a background event, over the time observed. θ is the expected number of events one event triggers,
1/ω their mean delay in days, σ their spread in metres (an isotropic Gaussian). EM alternates:
E, the probability that each event was triggered by each earlier one, or was background; M, the
closed-form θ, ω, σ and background weights given those probabilities (Veen & Schoenberg 2008).
The background kernel leaves each event out of its own density, so an isolated event is not
explained away as its own background.

A forecast is the integral of λ over the window and each cell. On day-resolution data every time
is the day's midnight, so an event can only trigger events of later days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from .errors import ForecastInputError
from .events import Events, FloatArray, Window, days_between
from .grid import Grid, IntArray
from .models import Forecaster, _kernel_matrix


@dataclass(frozen=True)
class SEPPParams:
    theta: float  # expected number of events triggered by one event
    omega: float  # per day: triggered events follow after 1/omega days on average
    sigma: float  # metres: spatial spread of triggered events
    background_per_day: float  # expected background events per day in the study area


class SEPP(Forecaster):
    """Background + triggering, fitted by EM on the training events (see the module docstring)."""

    name = "sepp"

    def __init__(
        self,
        grid: Grid,
        *,
        background_bandwidth_m: float = 300.0,
        background_days: float | None = None,
        max_distance_m: float = 750.0,
        max_days: float = 90.0,
        min_sigma_m: float = 10.0,
        iterations: int = 100,
        tolerance: float = 1e-5,
        warm_start: bool = True,
    ) -> None:
        super().__init__(grid)
        self.background_bandwidth_m, self.background_days = background_bandwidth_m, background_days
        self.max_distance_m, self.max_days, self.min_sigma_m = max_distance_m, max_days, min_sigma_m
        self.iterations, self.tolerance, self.warm_start = iterations, tolerance, warm_start

    def params(self) -> dict[str, Any]:
        return {
            "background_bandwidth_m": self.background_bandwidth_m,
            "background_days": self.background_days,
            "max_distance_m": self.max_distance_m,
            "max_days": self.max_days,
            "min_sigma_m": self.min_sigma_m,
        }

    def _background_kernel(self) -> sparse.csr_matrix:
        h = float(self.background_bandwidth_m)

        def build() -> tuple[IntArray, IntArray, FloatArray]:
            i, j, d = self.grid.neighbours(3.0 * h)
            return i, j, np.exp(-(d**2) / (2 * h * h)) * self.grid.cell_area[j] / (2 * math.pi * h * h)

        return _kernel_matrix(self.grid, ("gauss", h, 3.0), build)

    def _fit(self) -> None:
        ev = self.events_
        if self.background_days is not None and len(ev):
            keep = days_between(ev.t[-1], ev.t) <= self.background_days
            ev, cells = ev.select(keep), self.cells_[keep]
        else:
            cells = self.cells_
        self.fit_events_, self.fit_cells_ = ev, cells
        n = len(ev)
        if n < 2:
            raise ForecastInputError(f"sepp: needs at least 2 events inside the study area to fit, got {n}")
        t = days_between(ev.t, ev.t[0])
        # Day-resolution events are observed until the end of their last day.
        span = float(t[-1]) + (1.0 if ev.day_resolution else 0.0)
        span = max(span, 1e-6)
        _parent, child, dt, d2 = self._pairs(ev, t)

        previous = getattr(self, "params_", None) if self.warm_start else None
        theta, omega, sigma = (previous.theta, previous.omega, previous.sigma) if previous else (0.1, 0.1, 100.0)
        theta = min(max(theta, 1e-3), 0.95)
        kernel = self._background_kernel()
        own = kernel.diagonal()[cells]
        area = self.grid.cell_area[cells]
        p_bg = np.full(n, 1.0 - theta)
        remaining = span - t  # time each event was observed to trigger others
        self.iterations_ = 0
        for _ in range(self.iterations):
            self.iterations_ += 1
            # E-step: background density at each event, leaving the event itself out.
            weight = np.bincount(cells, p_bg, minlength=self.grid.n_cells)
            spread = np.asarray(kernel.T @ weight)[cells] - p_bg * own
            mu = np.maximum(spread, 1e-9 * p_bg.sum() / self.grid.n_cells) / (area * span)
            trig = theta * omega * np.exp(-omega * dt) * np.exp(-d2 / (2 * sigma**2)) / (2 * math.pi * sigma**2)
            lam = mu + np.bincount(child, trig, minlength=n)
            p_pair = trig / lam[child]
            p_bg_new = mu / lam
            # M-step.
            total = float(p_pair.sum())
            new_theta = total / float(np.sum(1.0 - np.exp(-omega * remaining)))
            new_omega = total / max(float(np.sum(p_pair * dt)), 1e-12) if total > 0 else omega
            new_sigma = math.sqrt(float(np.sum(p_pair * d2)) / (2 * total)) if total > 0 else sigma
            new_sigma = max(new_sigma, self.min_sigma_m)
            change = max(
                abs(new_theta - theta) / max(theta, 1e-9),
                abs(new_omega - omega) / omega,
                abs(new_sigma - sigma) / sigma,
            )
            theta, omega, sigma, p_bg = min(new_theta, 0.99), new_omega, new_sigma, p_bg_new
            if change < self.tolerance:
                break
        self.background_weight_ = p_bg
        self.params_ = SEPPParams(theta, omega, sigma, float(p_bg.sum()) / span)
        self.span_days_ = span
        mass = np.bincount(cells, p_bg, minlength=self.grid.n_cells)
        self.background_ = np.asarray(kernel.T @ mass, dtype=float) / span  # events per day per cell

    def _pairs(self, ev: Events, t: FloatArray) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """(parent, child, days apart, squared metres apart) for every earlier/later pair in reach."""
        tree = cKDTree(np.column_stack([ev.x, ev.y]))
        pairs = tree.query_pairs(self.max_distance_m, output_type="ndarray").astype(np.int64)
        if not len(pairs):
            empty = np.zeros(0)
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), empty, empty
        a, b = pairs[:, 0], pairs[:, 1]
        parent, child = np.minimum(a, b), np.maximum(a, b)  # index order is time order
        dt = t[child] - t[parent]
        keep = (dt > 0) & (dt <= self.max_days)
        parent, child, dt = parent[keep], child[keep], dt[keep]
        d2 = (ev.x[child] - ev.x[parent]) ** 2 + (ev.y[child] - ev.y[parent]) ** 2
        return parent, child, dt, d2

    def _predict(self, window: Window) -> FloatArray:
        p = self.params_
        risk = self.background_ * window.days
        ev = self.events_
        ages = days_between(window.start, ev.t)
        live = np.exp(-p.omega * ages) > 1e-6
        if live.any():
            a = ages[live]
            expected = p.theta * (np.exp(-p.omega * a) - np.exp(-p.omega * (a + window.days)))
            point, cell, share = self.grid.gaussian_mass(ev.x[live], ev.y[live], p.sigma)
            risk = risk + np.bincount(cell, expected[point] * share, minlength=self.grid.n_cells)
        return np.asarray(risk, dtype=float)


def simulate(
    *,
    background_per_day: float,
    theta: float,
    omega: float,
    sigma: float,
    days: float,
    size_m: float,
    seed: int = 0,
) -> Events:
    """Events of the process above with a uniform background on a square of `size_m` metres.

    Branching construction: background events, then each event's Poisson(θ) children, delayed by
    Exp(ω) days and displaced by N(0, σ²) in each axis; children outside the square or after `days`
    are not observed. For checking that `SEPP` recovers known parameters.
    """
    if not 0 <= theta < 1:
        raise ForecastInputError("simulate: theta must be in [0, 1) for the process to stay finite")
    rng = np.random.default_rng(seed)
    n0 = rng.poisson(background_per_day * days)
    gen_t, gen_x, gen_y = rng.uniform(0, days, n0), rng.uniform(0, size_m, n0), rng.uniform(0, size_m, n0)
    ts, xs, ys = [gen_t], [gen_x], [gen_y]
    while len(gen_t):
        kids = rng.poisson(theta, len(gen_t))
        parent = np.repeat(np.arange(len(gen_t)), kids)
        gen_t = gen_t[parent] + rng.exponential(1 / omega, len(parent))
        gen_x = gen_x[parent] + rng.normal(0, sigma, len(parent))
        gen_y = gen_y[parent] + rng.normal(0, sigma, len(parent))
        ts.append(gen_t)
        xs.append(gen_x)
        ys.append(gen_y)
    t, x, y = np.concatenate(ts), np.concatenate(xs), np.concatenate(ys)
    seen = (t < days) & (x >= 0) & (x < size_m) & (y >= 0) & (y < size_m)
    order = np.argsort(t[seen], kind="stable")
    start = np.datetime64("2020-01-01T00:00:00", "s")
    stamps = start + np.round(t[seen][order] * 86_400).astype("timedelta64[s]")
    return Events(x[seen][order], y[seen][order], stamps)
