"""Perceived-insecurity index per place and period, from everything residents tell us.

Inputs are of four kinds (`SOURCES`): "I feel unsafe here" reports, feeling scores (how safe do you
feel here, 1 = very unsafe … 5 = safe), safety-walk audits (the same scale, marked on a walk), and
public posts classified as speaking of insecurity at a place. Each input becomes an insecurity value
from 0 (safe) to 1 (very unsafe) (`insecurity_value`); each source has a weight (an audit by a walk
group counts double, a machine-classified post half).

For a place and period with inputs i, the index is the weighted mean of the values shrunk toward the
city-wide mean μ of that period, as if `prior_strength` more inputs at μ had been added:

    index = 100 · (Σ wᵢ yᵢ + m μ) / (Σ wᵢ + m)

so a place with two inputs stays near the city mean instead of jumping to 0 or 100, and a place
with a hundred is read from its own inputs. The interval is the matching Beta(Σwy + mμ,
Σw(1−y) + m(1−μ)) credible interval. Fewer than `min_n` inputs (5 by default): no index at all,
only the count. The number of inputs, and per source, is always returned beside the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from streetlight.toolkit.geo.aggregate import factorize

SOURCES = ("report", "feeling", "safety_walk", "post")
DEFAULT_WEIGHTS: Mapping[str, float] = {"report": 1.0, "feeling": 1.0, "safety_walk": 2.0, "post": 0.5}
DEFAULT_MIN_N = 5
DEFAULT_PRIOR_STRENGTH = 5.0


def insecurity_value(
    score: npt.ArrayLike | None = None, unsafe: npt.ArrayLike | None = None, probability: npt.ArrayLike | None = None
) -> npt.NDArray[np.float64]:
    """Insecurity from 0 to 1 for each input: from a 1-5 safety score ((5 − s) / 4) where there is
    one, else from a classifier's probability, else from a yes/no "unsafe" flag; NaN if none."""
    parts = [np.asarray(a, dtype=float).ravel() for a in (score, unsafe, probability) if a is not None]
    if not parts:
        raise ValueError("give scores, unsafe flags or probabilities")
    n = parts[0].size
    out = np.full(n, np.nan)
    if unsafe is not None:
        flag = np.asarray(unsafe, dtype=float).ravel()
        out = np.where(np.isnan(flag), out, (flag > 0).astype(float))
    if probability is not None:
        prob = np.asarray(probability, dtype=float).ravel()
        if ((prob < 0) | (prob > 1)).any():
            raise ValueError("probabilities must be between 0 and 1")
        out = np.where(np.isnan(prob), out, prob)
    if score is not None:
        s = np.asarray(score, dtype=float).ravel()
        if ((s < 1) | (s > 5)).any():
            raise ValueError("safety scores go from 1 (very unsafe) to 5 (safe)")
        out = np.where(np.isnan(s), out, (5.0 - s) / 4.0)
    return out


@dataclass(frozen=True)
class InsecurityIndex:
    """One entry per (unit, period) with at least one input. Values are on a 0–100 scale and NaN
    where fewer than `min_n` inputs were available; `n` and `n_by_source` are always given."""

    units: npt.NDArray[Any]
    periods: npt.NDArray[Any]
    index: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    raw: npt.NDArray[np.float64]  # unshrunk weighted mean: for analysts, not for maps
    n: npt.NDArray[np.int64]
    n_by_source: Mapping[str, npt.NDArray[np.int64]]
    city_mean: npt.NDArray[np.float64]  # μ of the entry's period, 0–100
    min_n: int
    prior_strength: float
    level: float

    @property
    def released(self) -> npt.NDArray[np.bool_]:
        return self.n >= self.min_n

    def to_rows(self) -> list[dict[str, Any]]:
        def num(a: npt.NDArray[np.float64]) -> list[float | None]:
            return [None if np.isnan(v) else round(float(v), 2) for v in a.tolist()]

        cols = {
            "unit": self.units.tolist(),
            "period": [str(p) if isinstance(p, np.datetime64) else p for p in self.periods.tolist()],
            "index": num(self.index),
            "low": num(self.low),
            "high": num(self.high),
            "n": self.n.tolist(),
            **{f"n_{s}": v.tolist() for s, v in self.n_by_source.items()},
            "city_mean": num(self.city_mean),
        }
        return [dict(zip(cols, vals, strict=True)) for vals in zip(*cols.values(), strict=True)]


def insecurity_index(
    values: npt.ArrayLike,
    sources: npt.ArrayLike,
    units: npt.ArrayLike,
    periods: npt.ArrayLike | None = None,
    *,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    min_n: int = DEFAULT_MIN_N,
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
    level: float = 0.9,
) -> InsecurityIndex:
    """The index for every (unit, period): units are cells or area codes, periods any labels
    (months, "night", …; None for one period). Inputs with a NaN value or no unit are ignored."""
    y = np.asarray(values, dtype=float).ravel()
    src = np.asarray(sources).astype(str).ravel()
    n_in = y.size
    if src.size != n_in:
        raise ValueError("one source per value")
    unknown = sorted(set(np.unique(src).tolist()) - set(weights))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; expected {', '.join(SOURCES)}")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("insecurity values must be between 0 and 1 (see insecurity_value)")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError("min_n must be a whole number of at least 1")
    if not prior_strength > 0 or not 0 < level < 1:
        raise ValueError("prior_strength must be positive and level between 0 and 1")
    source_names = list(weights)
    present, src_inv = np.unique(src, return_inverse=True)
    src_code = np.array([source_names.index(s) for s in present.tolist()], dtype=np.int64)[src_inv.ravel()]
    w = np.array([float(weights[s]) for s in source_names])[src_code]
    u_code, u_labels = factorize(units)
    p_code, p_labels = factorize(np.zeros(n_in, dtype=np.int64) if periods is None else periods)
    ok = ~np.isnan(y) & (u_code >= 0) & (p_code >= 0) & (w > 0)
    y, w, u_code, p_code, src_code = y[ok], w[ok], u_code[ok], p_code[ok], src_code[ok]

    n_p = max(len(p_labels), 1)
    key = u_code * n_p + p_code
    groups, g = np.unique(key, return_inverse=True)
    g = g.ravel()
    count = np.bincount(g, minlength=groups.size).astype(np.int64)
    w_sum = np.bincount(g, weights=w, minlength=groups.size)
    wy_sum = np.bincount(g, weights=w * y, minlength=groups.size)
    w_p = np.bincount(p_code, weights=w, minlength=n_p)
    mu_p = np.bincount(p_code, weights=w * y, minlength=n_p) / np.maximum(w_p, 1e-300)
    mu = np.clip(mu_p[groups % n_p], 1e-3, 1 - 1e-3)  # a prior of exactly 0 or 1 would be no Beta
    a = wy_sum + prior_strength * mu
    b = (w_sum - wy_sum) + prior_strength * (1 - mu)
    released = count >= min_n
    tail = (1.0 - level) / 2.0

    def hide(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.where(released, 100.0 * v, np.nan)

    per_source = {
        s: np.bincount(g[src_code == i], minlength=groups.size).astype(np.int64) for i, s in enumerate(source_names)
    }
    return InsecurityIndex(
        units=u_labels[groups // n_p],
        periods=p_labels[groups % n_p] if periods is not None else np.full(groups.size, None, dtype=object),
        index=hide(a / (a + b)),
        low=hide(stats.beta.ppf(tail, a, b)),
        high=hide(stats.beta.ppf(1 - tail, a, b)),
        raw=hide(wy_sum / np.maximum(w_sum, 1e-300)),
        n=count,
        n_by_source=per_source,
        city_mean=100.0 * mu_p[groups % n_p],
        min_n=min_n,
        prior_strength=float(prior_strength),
        level=float(level),
    )
