"""How good a forecast was: hit rate, PAI and PEI at a fixed share of the study area.

- **Hit rate** at coverage c: the share of the window's events that fell in the c highest-risk
  cells (k = c · cells, rounded half up).
- **PAI** (predictive accuracy index, Chainey et al. 2008): hit rate / share of the area flagged.
- **PEI** (predictive efficiency index, Hunt 2016): hits / the most hits any k cells could have had
  (the oracle: the k cells with the most events in that window). 1 is perfect.

Tie rule "expected" (the default): cells whose risks agree to 9 significant digits are tied; when the
cut-off falls inside a tied group, each of its cells counts for the share of the group that fits, i.e.
the average over every order of the tied cells. So a method gains nothing from the order cells
happen to be stored in (a naive count ties most cells at 0 or 1). "index" breaks ties by cell index,
as many tools do silently; it is there to compare with them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import ForecastInputError
from .events import FloatArray
from .grid import IntArray

TIE_RULES = ("expected", "index")


def cells_for(coverage: float, n_cells: int) -> int:
    """k, the number of cells a coverage flags; refuses coverages that flag no cell at all."""
    if not 0 < coverage <= 1:
        raise ForecastInputError(f"a coverage must be a share of the area in (0, 1], got {coverage}")
    k = math.floor(coverage * n_cells + 0.5)
    if k < 1:
        raise ForecastInputError(
            f"coverage {coverage:.1%} of {n_cells} cells is less than one cell; use smaller cells or a larger coverage"
        )
    return k


@dataclass(frozen=True)
class Capture:
    """One forecast scored at several coverages (arrays aligned with `coverages`)."""

    coverages: tuple[float, ...]
    cells: IntArray  # k per coverage
    events: int
    hits: FloatArray  # may be fractional under the "expected" tie rule
    oracle: FloatArray  # most hits any k cells could have had
    area_share: FloatArray  # share of the study area flagged

    @property
    def hit_rate(self) -> FloatArray:
        return self.hits / self.events if self.events else np.full(len(self.coverages), np.nan)

    @property
    def pai(self) -> FloatArray:
        return self.hit_rate / self.area_share

    @property
    def pei(self) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.oracle > 0, self.hits / self.oracle, np.nan)


def capture(
    risk: npt.ArrayLike,
    event_cells: npt.ArrayLike,
    coverages: Sequence[float],
    *,
    cell_area: npt.ArrayLike | None = None,
    tie_rule: str = "expected",
) -> Capture:
    """Score one window's forecast `risk` (per cell) against the cells its events fell in."""
    r = np.asarray(risk, dtype=float)
    n = len(r)
    if not np.isfinite(r).all():
        raise ForecastInputError("the forecast has missing or infinite risks")
    if tie_rule not in TIE_RULES:
        raise ForecastInputError(f"unknown tie rule {tie_rule!r}; choose one of {', '.join(TIE_RULES)}")
    cells = np.asarray(event_cells, dtype=np.int64)
    if cells.size and (cells.min() < 0 or cells.max() >= n):
        raise ForecastInputError("event cells must be indexes of the forecast's cells (drop events outside first)")
    counts = np.bincount(cells, minlength=n).astype(float)
    area = np.ones(n) if cell_area is None else np.asarray(cell_area, dtype=float)
    ks = np.array([cells_for(c, n) for c in coverages], dtype=np.int64)

    scale = float(np.abs(r).max()) or 1.0
    key = np.round(r / scale, 9)  # equal to 9 significant digits of the largest risk: a tie
    order = np.argsort(-key, kind="stable")
    ranked = key[order]
    cum_hits = np.concatenate([[0.0], np.cumsum(counts[order])])
    cum_area = np.concatenate([[0.0], np.cumsum(area[order])])
    if tie_rule == "index":
        hits, flagged = cum_hits[ks], cum_area[ks]
    else:
        threshold = ranked[ks - 1]
        lo = np.searchsorted(-ranked, -threshold, side="left")  # first cell of the tied group
        hi = np.searchsorted(-ranked, -threshold, side="right")
        share = (ks - lo) / (hi - lo)
        hits = cum_hits[lo] + (cum_hits[hi] - cum_hits[lo]) * share
        flagged = cum_area[lo] + (cum_area[hi] - cum_area[lo]) * share
    best = np.concatenate([[0.0], np.cumsum(np.sort(counts)[::-1])])
    return Capture(
        coverages=tuple(float(c) for c in coverages),
        cells=ks,
        events=int(cells.size),
        hits=np.asarray(hits, dtype=float),
        oracle=best[ks],
        area_share=np.asarray(flagged, dtype=float) / float(area.sum()),
    )


@dataclass(frozen=True)
class Summary:
    """Scores over many windows, both ways: the mean of each window's value, and pooled
    (all hits over all events), which weighs busy days more. Windows without events have no hit
    rate and are left out of the means; they add nothing to the pooled figures either."""

    coverage: float
    cells: int
    windows: int
    windows_scored: int
    events: int
    hit_rate_mean: float
    hit_rate_pooled: float
    pai_mean: float
    pai_pooled: float
    pei_mean: float
    pei_pooled: float


def summarise(captures: Sequence[Capture]) -> list[Summary]:
    if not captures:
        raise ForecastInputError("nothing to summarise: no window was scored")
    coverages = captures[0].coverages
    events = np.array([c.events for c in captures])
    hits = np.array([c.hits for c in captures])
    oracle = np.array([c.oracle for c in captures])
    area = np.array([c.area_share for c in captures])
    scored = events > 0
    out = []
    for i, coverage in enumerate(coverages):
        rate = hits[scored, i] / events[scored]
        with np.errstate(invalid="ignore", divide="ignore"):
            pei = np.where(oracle[scored, i] > 0, hits[scored, i] / oracle[scored, i], np.nan)
        total = float(events.sum())
        pooled = float(hits[:, i].sum()) / total if total else math.nan
        mean_area = float(area[scored, i].mean()) if scored.any() else math.nan
        out.append(
            Summary(
                coverage=float(coverage),
                cells=int(captures[0].cells[i]),
                windows=len(captures),
                windows_scored=int(scored.sum()),
                events=int(total),
                hit_rate_mean=float(rate.mean()) if rate.size else math.nan,
                hit_rate_pooled=pooled,
                pai_mean=float((rate / area[scored, i]).mean()) if rate.size else math.nan,
                pai_pooled=pooled / mean_area if mean_area else math.nan,
                pei_mean=float(np.nanmean(pei)) if np.isfinite(pei).any() else math.nan,
                pei_pooled=float(hits[:, i].sum() / oracle[:, i].sum()) if oracle[:, i].sum() else math.nan,
            )
        )
    return out
