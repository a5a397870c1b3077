"""Getis-Ord Gi*: where counts are higher (or lower) than chance would put side by side.

A cell with many reports is not a hotspot by itself; a cluster of cells that together have more
than the city-wide mean, beyond what random scatter would give, is. Gi* (Ord & Getis 1995) sums
each cell's neighbourhood (itself included) and compares it with its expectation under no spatial
pattern, as a z-score. Testing thousands of cells at once finds some by chance, so the p-values are
corrected for the false discovery rate (Benjamini–Hochberg) before cells are classed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse, stats

#: Confidence levels of the classes, as ArcGIS and the crime-mapping literature use them.
LEVELS = ((0.01, 3), (0.05, 2), (0.10, 1))
CLASS_NAMES = {
    3: "hot spot (99 %)",
    2: "hot spot (95 %)",
    1: "hot spot (90 %)",
    0: "not significant",
    -1: "cold spot (90 %)",
    -2: "cold spot (95 %)",
    -3: "cold spot (99 %)",
}


@dataclass(frozen=True)
class GiStar:
    """Per cell: z-score, two-sided p-value, FDR-adjusted p-value and class (-3..3, 0 = none).

    z and p are NaN where the statistic is undefined (all values equal, or a neighbourhood that is
    the whole study area); such cells are class 0.
    """

    z: npt.NDArray[np.float64]
    p: npt.NDArray[np.float64]
    p_adjusted: npt.NDArray[np.float64]
    classes: npt.NDArray[np.int8]
    fdr: bool

    def class_names(self) -> list[str]:
        return [CLASS_NAMES[int(c)] for c in self.classes]


def gi_star(values: npt.ArrayLike, weights: sparse.spmatrix | sparse.sparray, *, fdr: bool = True) -> GiStar:
    """Gi* for every cell. `weights[i, j]` is j's weight in i's neighbourhood, w_ii included.

    z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n S1_i − W_i²)/(n − 1))), with W_i = Σ_j w_ij,
    S1_i = Σ_j w_ij², x̄ and S the mean and (population) standard deviation of all n values.
    The z-score is compared with the standard normal (two-sided). With `fdr`, classes use
    Benjamini–Hochberg adjusted p-values; without, the raw ones.
    """
    x = np.asarray(values, dtype=float).ravel()
    w = sparse.csr_matrix(weights, dtype=float)
    n = x.size
    if w.shape != (n, n):
        raise ValueError(f"weights must be {n} × {n} for {n} values, got {w.shape[0]} × {w.shape[1]}")
    if not np.isfinite(x).all():
        raise ValueError("values must be finite numbers")
    if n < 3:
        raise ValueError("Gi* needs at least 3 cells")
    mean = x.mean()
    sd = np.sqrt(max((x * x).mean() - mean * mean, 0.0))
    w_sum = np.asarray(w.sum(axis=1)).ravel()
    s1 = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.sqrt((n * s1 - w_sum**2) / (n - 1))
        z = (w @ x - mean * w_sum) / (sd * spread)
    z = np.where(np.isfinite(z) & (sd > 1e-12 * max(abs(mean), 1.0)), z, np.nan)
    p = np.where(np.isnan(z), np.nan, 2.0 * stats.norm.sf(np.abs(z)))
    ok = ~np.isnan(p)
    p_adj = np.full(n, np.nan)
    if ok.any():
        p_adj[ok] = stats.false_discovery_control(p[ok], method="bh") if fdr else p[ok]
    return GiStar(z=z, p=p, p_adjusted=p_adj, classes=classify(z, p_adj), fdr=fdr)


def classify(z: npt.ArrayLike, p: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """+3/+2/+1 for hot spots at 99/95/90 %, the negatives for cold spots, 0 otherwise."""
    z_arr, p_arr = np.asarray(z, dtype=float), np.asarray(p, dtype=float)
    level = np.zeros(z_arr.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for alpha, rank in reversed(LEVELS):  # weakest first, so the strongest level wins
            level[p_arr < alpha] = rank
    return (level * np.sign(np.nan_to_num(z_arr))).astype(np.int8)
