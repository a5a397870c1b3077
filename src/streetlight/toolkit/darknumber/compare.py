"""Resident reports beside police-recorded crime: ratios with exact confidence intervals.

For one area, comparison group and month, r resident reports and c recorded crimes are taken as
two Poisson counts over the same place and time. Given their sum, r is binomial with probability
π = λ_r / (λ_r + λ_c), so the exact (Clopper–Pearson) interval for π turns into an exact interval
for the rate ratio λ_r / λ_c = π / (1 − π) — the conditional method for comparing two Poisson
rates (Armitage, Berry & Matthews, *Statistical Methods in Medical Research*, §5.3). It is
conservative: the interval covers the true ratio at least `level` of the time, even for 1 and 0.

The share of reports whose reporter chose not to inform the police gets a Clopper–Pearson interval
too. Under-reported groups are ranked by the lower end of an interval, so a group with three
reports cannot top the list by chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from streetlight.toolkit.geo.aggregate import factorize

from .importers import RecordedCrimes
from .mapping import CategoryMapping

Floats = npt.NDArray[np.float64]
DIMENSIONS = ("area", "group", "month")
RANK_KEYS = ("share_not_shared", "hidden_per_recorded")


def clopper_pearson(k: npt.ArrayLike, n: npt.ArrayLike, level: float = 0.95) -> tuple[Floats, Floats]:
    """Exact binomial interval for k successes in n trials (NaN where n = 0)."""
    k_arr, n_arr = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    alpha = 1.0 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k_arr > 0, stats.beta.ppf(alpha / 2, k_arr, n_arr - k_arr + 1), 0.0)
        high = np.where(k_arr < n_arr, stats.beta.ppf(1 - alpha / 2, k_arr + 1, n_arr - k_arr), 1.0)
    empty = n_arr <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def rate_ratio_ci(a: npt.ArrayLike, b: npt.ArrayLike, level: float = 0.95) -> tuple[Floats, Floats, Floats]:
    """a / b and its exact conditional interval, for two Poisson counts over the same exposure.

    b = 0 gives an infinite ratio and upper bound; a = b = 0 gives NaN (nothing to compare).
    """
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    lo_p, hi_p = clopper_pearson(a_arr, a_arr + b_arr, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(a_arr + b_arr > 0, a_arr / b_arr, np.nan)
        low = lo_p / (1.0 - lo_p)
        high = np.where(hi_p >= 1.0, np.inf, hi_p / (1.0 - hi_p))
    return ratio, low, high


@dataclass(frozen=True)
class UnderReported:
    """One comparison group, pooled over areas and months."""

    group: str
    reports: int
    not_shared: int
    recorded: int
    share_not_shared: float
    share_low: float
    share_high: float
    hidden_per_recorded: float  # reports not shared with the police, per recorded crime
    hidden_low: float
    hidden_high: float


@dataclass(frozen=True)
class DarkNumber:
    """The comparison table, one entry per combination of `by` with a report or a recorded crime.

    Everything that could not be compared is counted: reports of categories outside the mapping,
    recorded crimes of types outside it, and rows without an area or outside the months both
    sources cover (`left_out`).
    """

    by: tuple[str, ...]
    keys: dict[str, npt.NDArray[Any]]
    reports: npt.NDArray[np.int64]
    not_shared: npt.NDArray[np.int64]
    recorded: npt.NDArray[np.int64]
    ratio: Floats  # resident reports per recorded crime
    ratio_low: Floats
    ratio_high: Floats
    share_not_shared: Floats
    share_low: Floats
    share_high: Floats
    uncompared_categories: dict[str, int]
    uncompared_crime_types: dict[str, int]
    left_out: dict[str, int]
    level: float

    def to_rows(self) -> list[dict[str, Any]]:
        def num(a: Floats) -> list[float | None]:
            return [None if np.isnan(v) else float(v) for v in a.tolist()]

        cols: dict[str, list[Any]] = {d: _plain(self.keys[d]) for d in self.by}
        cols |= {"reports": self.reports.tolist(), "not_shared": self.not_shared.tolist()}
        cols |= {"recorded": self.recorded.tolist(), "ratio": num(self.ratio)}
        cols |= {"ratio_low": num(self.ratio_low), "ratio_high": num(self.ratio_high)}
        cols |= {"share_not_shared": num(self.share_not_shared)}
        cols |= {"share_low": num(self.share_low), "share_high": num(self.share_high)}
        return [dict(zip(cols, vals, strict=True)) for vals in zip(*cols.values(), strict=True)]

    def ranking(self, key: str = "share_not_shared") -> list[UnderReported]:
        """Groups from most to least under-reported, by the lower end of the chosen interval.

        "share_not_shared": the share of residents' reports not passed to the police — like a
        victim survey's non-reporting rate, and independent of how many people use the platform.
        "hidden_per_recorded": reports not passed to the police per recorded crime — needs the
        police figures and grows with the platform's reach.
        """
        if key not in RANK_KEYS:
            raise ValueError(f"rank by one of {', '.join(RANK_KEYS)}")
        groups = self.keys["group"]
        names, inv = np.unique(groups.astype(str), return_inverse=True)
        inv = inv.ravel()

        def total(v: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            return np.bincount(inv, weights=v, minlength=names.size).astype(np.int64)

        r, ns, c = total(self.reports), total(self.not_shared), total(self.recorded)
        s_low, s_high = clopper_pearson(ns, r, self.level)
        h, h_low, h_high = rate_ratio_ci(ns, c, self.level)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(r > 0, ns / np.maximum(r, 1), np.nan)
        rows = [
            UnderReported(str(names[i]), int(r[i]), int(ns[i]), int(c[i]), float(share[i]), float(s_low[i]),
                          float(s_high[i]), float(h[i]), float(h_low[i]), float(h_high[i]))
            for i in range(names.size)
        ]  # fmt: skip
        lower = {"share_not_shared": lambda u: u.share_low, "hidden_per_recorded": lambda u: u.hidden_low}[key]
        return sorted(rows, key=lambda u: (-np.nan_to_num(lower(u), nan=-1.0), u.group))


def _plain(labels: npt.NDArray[Any]) -> list[Any]:
    if np.issubdtype(labels.dtype, np.datetime64):
        return [str(v) for v in labels.astype(str).tolist()]
    return [str(v) if isinstance(v, np.str_) else v for v in labels.tolist()]


def _has(codes: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    return np.asarray((codes != None) & (codes != ""), dtype=bool)  # noqa: E711 - elementwise


def _months(values: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    arr = np.asarray(values)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[M]")
    return np.array([np.datetime64(str(v)[:7], "M") if v not in (None, "") else "NaT" for v in arr.tolist()])


def _count_uncompared(labels: npt.NDArray[Any], weights: npt.NDArray[np.int64]) -> dict[str, int]:
    if labels.size == 0:
        return {}
    names, inv = np.unique(labels.astype(str), return_inverse=True)
    sums = np.bincount(inv.ravel(), weights=weights, minlength=names.size)
    return {n: int(s) for n, s in zip(names.tolist(), sums.tolist(), strict=True)}


def compare(
    *,
    categories: npt.ArrayLike,
    shared_with_police: npt.ArrayLike,
    months: npt.ArrayLike,
    recorded: RecordedCrimes,
    areas: npt.ArrayLike | None = None,
    mapping: CategoryMapping | None = None,
    by: Sequence[str] = DIMENSIONS,
    level: float = 0.95,
) -> DarkNumber:
    """Compare residents' reports (one entry per report: category code, whether the reporter let it
    be shared with the police, month, and area when `by` has "area") with recorded crimes.

    Only months the recorded data covers are compared; the areas of both sides must use the same
    codes (see RecordedCrimes.with_areas to locate police positions in the city's districts).
    """
    by = tuple(by)
    if "group" not in by or any(d not in DIMENSIONS for d in by) or len(set(by)) != len(by):
        raise ValueError(f"by must include 'group' and may add 'area' and 'month'; got {by}")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    mapping = mapping or CategoryMapping.police_uk()
    cats = np.asarray(categories, dtype=object).ravel()
    shared = np.asarray(shared_with_police, dtype=bool).ravel()
    r_month = _months(months).ravel()
    n = cats.size
    if shared.size != n or r_month.size != n or (areas is not None and np.asarray(areas).size != n):
        raise ValueError("categories, shared_with_police, months and areas must have one value per report")
    if "area" in by and areas is None:
        raise ValueError("comparing by area needs the reports' areas")
    r_area = np.asarray(areas, dtype=object).ravel() if areas is not None else np.full(n, None, dtype=object)

    r_group = mapping.group_of_categories(cats)
    c_group = mapping.group_of_crime_types(recorded.crime_type)
    covered = np.unique(recorded.month)
    r_in = (r_group >= 0) & np.isin(r_month, covered)
    c_in = c_group >= 0
    if "area" in by:
        r_in &= _has(r_area)
        c_in &= _has(recorded.area)
    left_out = {
        "reports": int((~r_in & (r_group >= 0)).sum()),
        "recorded": int(recorded.count[~c_in & (c_group >= 0)].sum()),
    }

    names = np.array(mapping.names, dtype=object)
    columns = {
        "area": (r_area[r_in], recorded.area[c_in]),
        "group": (names[r_group[r_in]], names[c_group[c_in]]),
        "month": (r_month[r_in], recorded.month[c_in]),
    }
    n_r = int(r_in.sum())
    codes, labels = [], []
    for d in by:
        code, lab = factorize(np.concatenate(columns[d]))
        codes.append(code)
        labels.append(lab)
    key = np.ravel_multi_index(codes, [len(lab) for lab in labels]) if codes else np.zeros(0, dtype=np.int64)
    uniq, inv = np.unique(key, return_inverse=True)
    inv = inv.ravel()
    weights_r = np.ones(n_r)
    weights_ns = (~shared[r_in]).astype(float)
    reports = np.bincount(inv[:n_r], weights=weights_r, minlength=uniq.size).astype(np.int64)
    not_shared = np.bincount(inv[:n_r], weights=weights_ns, minlength=uniq.size).astype(np.int64)
    rec = np.bincount(inv[n_r:], weights=recorded.count[c_in], minlength=uniq.size).astype(np.int64)
    ratio, r_low, r_high = rate_ratio_ci(reports, rec, level)
    s_low, s_high = clopper_pearson(not_shared, reports, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(reports > 0, not_shared / np.maximum(reports, 1), np.nan)
    idx = np.unravel_index(uniq, [len(lab) for lab in labels])
    return DarkNumber(
        by=by,
        keys={d: lab[i] for d, lab, i in zip(by, labels, idx, strict=True)},
        reports=reports,
        not_shared=not_shared,
        recorded=rec,
        ratio=ratio,
        ratio_low=r_low,
        ratio_high=r_high,
        share_not_shared=share,
        share_low=s_low,
        share_high=s_high,
        uncompared_categories=_count_uncompared(cats[r_group < 0], np.ones(int((r_group < 0).sum()), dtype=np.int64)),
        uncompared_crime_types=_count_uncompared(recorded.crime_type[c_group < 0], recorded.count[c_group < 0]),
        left_out=left_out,
        level=float(level),
    )
