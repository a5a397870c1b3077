"""A forecast that adds context to a spatial model: how many events (calendar, weather) and where
(time-of-day and weekday profiles, public events, nightlife).

    risk_c(w) = N(w) · share_c(w)
    N(w)       = exp(γ · calendar(w))                       Poisson regression on past windows' totals
    share_c(w) ∝ [(1 − α) base_c + α profile_c(w)] · exp(β · exposure_c(w))

`base` is any spatial model (a decaying KDE by default). `profile` is the same kernel density over
only the past events that share the window's time-of-day block (6 hours) and day type (weekday or
weekend): where crime happens at night is not where it happens at noon. β is fitted by Poisson
regression with the spatial model as offset, on past windows where some cell was exposed.
Calendar terms change how many events are expected, not which cells rank first; only the profile
and exposures can change a hit rate.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .context import Context
from .errors import ForecastInputError
from .events import FloatArray, Window, days_between
from .models import KDE, Forecaster


def _block(times: np.ndarray) -> np.ndarray:
    """Time-of-day block (0..3, 6 hours each) and weekend flag as one code 0..7."""
    day = times.astype("datetime64[D]")
    hour = ((times - day) // np.timedelta64(1, "h")).astype(int)
    weekday = ((day.astype(np.int64) + 3) % 7).astype(int)  # 1970-01-01 was a Thursday
    return np.asarray((hour // 6) + 4 * (weekday >= 5), dtype=int)


def poisson_regression(x: FloatArray, y: np.ndarray, ridge: float) -> FloatArray:
    """Coefficients (intercept first) of a log-linear Poisson regression, by damped Newton steps.

    A dozen calendar columns and a few thousand windows: plain numpy is exact and takes
    milliseconds, where a general solver's threading overhead dominated on a shared machine.
    """
    a = np.column_stack([np.ones(len(x)), x])
    y = np.asarray(y, dtype=float)
    beta = np.zeros(a.shape[1])
    beta[0] = math.log(max(float(y.mean()), 1e-9))
    penalty = np.full(a.shape[1], ridge * len(y))
    penalty[0] = 0.0

    def loss(b: FloatArray) -> float:
        eta = np.clip(a @ b, -30, 30)
        return float(np.sum(np.exp(eta) - y * eta) + 0.5 * np.sum(penalty * b * b))

    current = loss(beta)
    for _ in range(100):
        mu = np.exp(np.clip(a @ beta, -30, 30))
        grad = a.T @ (mu - y) + penalty * beta
        hess = (a * mu[:, None]).T @ a + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-4 and loss(beta - scale * step) > current:
            scale /= 2
        beta = beta - scale * step
        previous, current = current, loss(beta)
        if previous - current < 1e-10 * max(1.0, abs(previous)):
            break
    return beta


class ContextModel(Forecaster):
    """Spatial base × profile × exposures, scaled by a calendar count model (module docstring)."""

    name = "context"

    def __init__(
        self,
        grid: Any,
        *,
        base: Forecaster | None = None,
        profile_weight: float = 0.5,
        profile_bandwidth_m: float = 250.0,
        profile_decay_days: float = 120.0,
        window: np.timedelta64 | None = None,
        training_days: float = 365.0,
        exposure_radius_m: float = 400.0,
        ridge: float = 1e-3,
    ) -> None:
        super().__init__(grid)
        self.base = base or KDE(grid, bandwidth_m=200.0, days=None, time_decay_days=60.0)
        self.profile_weight, self.profile_bandwidth_m = profile_weight, profile_bandwidth_m
        self.profile_decay_days, self.training_days = profile_decay_days, training_days
        self.window = np.timedelta64(1, "D") if window is None else window
        self.exposure_radius_m, self.ridge = exposure_radius_m, ridge

    def params(self) -> dict[str, Any]:
        return {
            "base": {"model": type(self.base).__name__, **self.base.params()},
            "profile_weight": self.profile_weight,
            "profile_bandwidth_m": self.profile_bandwidth_m,
            "profile_decay_days": self.profile_decay_days,
            "window_hours": float(self.window / np.timedelta64(1, "h")),
            "training_days": self.training_days,
        }

    def _fit(self) -> None:
        if not 0 <= self.profile_weight <= 1:
            raise ForecastInputError(f"context: profile_weight must be in [0, 1], got {self.profile_weight}")
        context = self.context_ or Context()
        self.base.fit(self.events_, context)
        self.blocks_ = _block(self.events_.t)
        self.profile_kde_ = KDE(
            self.grid, bandwidth_m=self.profile_bandwidth_m, days=None, time_decay_days=self.profile_decay_days
        )
        if not len(self.events_):
            raise ForecastInputError("context: no training event inside the study area")
        # Past windows of the forecast's length, ending where the training data end.
        # Aligned on multiples of the window since 1970 (midnight for windows that divide a day).
        step = int(self.window / np.timedelta64(1, "s"))
        last = int(self.events_.t[-1].astype(np.int64)) + 1
        end = np.datetime64(-(-last // step) * step, "s")
        first = max(self.events_.t[0], end - np.timedelta64(int(self.training_days * 86400), "s"))
        steps = int((end - first) // self.window)
        starts = end - self.window * np.arange(steps, 0, -1)
        windows = [Window(s, s + self.window) for s in starts]
        if len(windows) < 14:
            raise ForecastInputError(
                f"context: {len(windows)} past windows to learn the calendar from; at least 14 are needed"
            )
        totals = np.diff(np.searchsorted(self.events_.t, np.r_[starts, starts[-1] + self.window]))
        self.features_, x = context.calendar_rows(windows)
        known = np.isfinite(x)
        self.fill_ = np.where(known, x, 0.0).sum(axis=0) / np.maximum(known.sum(axis=0), 1)
        x = np.where(np.isnan(x), self.fill_, x)
        self.coef_ = poisson_regression(x, totals, self.ridge)
        self.beta_ = self._fit_exposures(context, windows, starts)

    def _fit_exposures(self, context: Context, windows: list[Window], starts: np.ndarray) -> dict[str, float]:
        """β by Newton steps on a Poisson likelihood with the base model's expected counts as offset.

        Only cell-windows with some exposure inform β, so only those are visited.
        """
        if not (context.events or context.venues):
            return {}
        names = ["public_events", "nightlife"]
        # The base model's forecast for the window after the training data stands in for each past
        # window's spatial offset: refitting it per past window would cost a fit per window.
        after = windows[-1].end
        base = self._shares(self.base.predict(Window(after, after + self.window)))
        rate = len(self.events_) / max(len(windows), 1)
        z_rows, y_rows, o_rows = [], [], []
        index = np.asarray(np.searchsorted(self.events_.t, np.r_[starts, starts[-1] + self.window]), dtype=np.int64)
        for k, w in enumerate(windows):
            exp = context.exposures(self.grid, w, self.exposure_radius_m)
            z = np.column_stack([exp.get(n, np.zeros(self.grid.n_cells)) for n in names])
            hot = np.flatnonzero(z.sum(axis=1) > 1e-6)
            if not hot.size:
                continue
            counts = np.bincount(self.cells_[index[k] : index[k + 1]], minlength=self.grid.n_cells)
            z_rows.append(z[hot])
            y_rows.append(counts[hot])
            o_rows.append(np.log(np.maximum(base[hot] * rate, 1e-12)))
        if not z_rows:
            return {}
        z, y, o = np.vstack(z_rows), np.concatenate(y_rows), np.concatenate(o_rows)
        beta = np.zeros(z.shape[1])
        for _ in range(50):
            mu = np.exp(o + z @ beta)
            grad = z.T @ (y - mu) - self.ridge * beta
            hess = (z * mu[:, None]).T @ z + self.ridge * np.eye(len(beta))
            step = np.linalg.solve(hess, grad)
            beta += np.clip(step, -2, 2)
            if np.abs(step).max() < 1e-8:
                break
        return {n: float(b) for n, b in zip(names, beta, strict=True)}

    @staticmethod
    def _shares(risk: FloatArray) -> FloatArray:
        total = float(risk.sum())
        return risk / total if total > 0 else np.full(len(risk), 1.0 / len(risk))

    def expected_total(self, window: Window) -> float:
        """Expected number of events in the whole study area during `window` (calendar model)."""
        row = (self.context_ or Context()).calendar(window)
        x = np.array([[row.get(k, math.nan) for k in self.features_]], dtype=float)
        x = np.where(np.isnan(x), self.fill_, x)
        per_window = float(np.exp(np.r_[1.0, x[0]] @ self.coef_))
        return per_window * window.days / (self.window / np.timedelta64(1, "D"))

    def _predict(self, window: Window) -> FloatArray:
        context = self.context_ or Context()
        share = self._shares(self.base.predict(window))
        if self.profile_weight > 0:
            same = self.blocks_ == _block(np.array([window.start]))[0]
            ages = days_between(window.start, self.events_.t[same])
            mass = np.bincount(self.cells_[same], np.exp(-ages / self.profile_decay_days), minlength=self.grid.n_cells)
            profile = self._shares(np.asarray(self.profile_kde_.kernel().T @ mass, dtype=float))
            share = (1 - self.profile_weight) * share + self.profile_weight * profile
        if self.beta_:
            exp = context.exposures(self.grid, window, self.exposure_radius_m)
            lift = sum(self.beta_[n] * exp[n] for n in self.beta_ if n in exp)
            share = self._shares(share * np.exp(np.asarray(lift, dtype=float)))
        return share * self.expected_total(window)
