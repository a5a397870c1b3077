"""Counts of reports by place, category, kind, day/night, weekday, hour and time window.

Every map and table of the insight screens, and every open-data release, starts from the same
counts, so they are computed here once, on plain numpy arrays: a million reports in well under a
second (see docs/benchmarks.md). Each dimension becomes integer codes, the codes are combined into
one mixed-radix key and counted with `np.bincount` (or `np.unique` when the key space is huge), so
no Python loop ever runs per report — except the H3 call itself, because h3-py has no array API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

import h3
import numpy as np
import numpy.typing as npt

from ..areas import AreaIndex
from ..cells import validate_resolution
from ..coords import valid_lat_lon_mask
from .factorize import IntArray, count_combinations, factorize
from .h3index import cells_of
from .timeparts import DAY_S, night_mask, utc_offsets, utc_seconds, window_labels, zone

#: What counts can be broken down by. "cell" is an H3 cell, "area" a code of the city's areas.
DIMENSIONS = ("cell", "area", "category", "kind", "day_night", "weekday", "hour", "window")
#: Resolutions offered for maps: 7 (~5 km², a district) down to 10 (~0.015 km², a street corner).
CELL_RESOLUTIONS = (7, 8, 9, 10)


@dataclass(frozen=True)
class Pivot:
    """A two-way table cut from an Aggregate: rows × columns of counts, with the labels of both."""

    row_dims: tuple[str, ...]
    col_dims: tuple[str, ...]
    row_keys: tuple[npt.NDArray[Any], ...]  # one label array per row dimension, len = rows
    col_keys: tuple[npt.NDArray[Any], ...]
    values: npt.NDArray[np.int64]  # shape (rows, cols)

    def row_labels(self) -> list[tuple[Any, ...]]:
        return list(zip(*(k.tolist() for k in self.row_keys), strict=True))

    def col_labels(self) -> list[tuple[Any, ...]]:
        return list(zip(*(k.tolist() for k in self.col_keys), strict=True))


@dataclass(frozen=True)
class Aggregate:
    """Counts in long form: one entry per combination of labels that has at least one report.

    `excluded` says how many reports could not be counted (no position, outside every area, no
    time, outside the windows, no category), so a map never silently shows fewer reports.
    """

    by: tuple[str, ...]
    keys: tuple[npt.NDArray[Any], ...]  # one label array per dimension, aligned with counts
    counts: npt.NDArray[Any]  # int64, or float64 when weights were given
    excluded: int
    resolution: int | None = None

    def __len__(self) -> int:
        return int(self.counts.size)

    @property
    def total(self) -> float:
        return float(self.counts.sum())

    def column(self, dim: str) -> npt.NDArray[Any]:
        """The labels of one dimension, aligned with `counts`."""
        return self.keys[self._index(dim)]

    def _index(self, dim: str) -> int:
        if dim not in self.by:
            raise KeyError(f"{dim!r} is not a dimension of this aggregate ({', '.join(self.by)})")
        return self.by.index(dim)

    def to_rows(self) -> list[dict[str, Any]]:
        """Plain dicts (labels as str/int) for CSV, JSON and templates."""
        cols = [_plain(k) for k in self.keys]
        counts = self.counts.tolist()
        return [{**dict(zip(self.by, vals, strict=True)), "count": c} for *vals, c in zip(*cols, counts, strict=True)]

    def rollup(self, keep: Sequence[str]) -> Aggregate:
        """Sum over every dimension not in `keep` (e.g. drop "hour" to get daily totals)."""
        keep = tuple(keep)
        idx = [self._index(d) for d in keep]
        codes, labels = zip(*(factorize(self.keys[i]) for i in idx), strict=True) if idx else ((), ())
        keys, counts = count_combinations(list(codes), [len(lab) for lab in labels], self.counts.astype(float))
        return Aggregate(
            by=keep,
            keys=tuple(lab[k] for lab, k in zip(labels, keys, strict=True)),
            counts=counts.round().astype(np.int64) if self.counts.dtype.kind in "iu" else counts,
            excluded=self.excluded,
            resolution=self.resolution if "cell" in keep else None,
        )

    def pivot(self, rows: Sequence[str], cols: Sequence[str]) -> Pivot:
        """Dense rows × columns table (for suppression, heat tables, CSV downloads).

        Every dimension of the aggregate must be in `rows` or `cols`; roll up first to drop one.
        Rows and columns are the label combinations that occur; absent pairs are 0.
        """
        rows, cols = tuple(rows), tuple(cols)
        if sorted(rows + cols) != sorted(self.by):
            raise ValueError(f"rows and cols must split the dimensions {self.by} between them")
        r_code, r_keys = self._combined(rows)
        c_code, c_keys = self._combined(cols)
        n_r = len(r_keys[0]) if r_keys else 1
        n_c = len(c_keys[0]) if c_keys else 1
        values = np.zeros((n_r, n_c), dtype=self.counts.dtype)
        np.add.at(values, (r_code, c_code), self.counts)
        return Pivot(rows, cols, r_keys, c_keys, values)

    def _combined(self, dims: tuple[str, ...]) -> tuple[IntArray, tuple[npt.NDArray[Any], ...]]:
        if not dims:
            return np.zeros(self.counts.size, dtype=np.int64), ()
        parts = [factorize(self.column(d)) for d in dims]
        sizes = [len(lab) for _, lab in parts]
        key = np.ravel_multi_index([c for c, _ in parts], sizes).astype(np.int64)
        uniq, code = np.unique(key, return_inverse=True)
        idx = np.unravel_index(uniq, sizes)
        return code.ravel().astype(np.int64), tuple(lab[i] for (_, lab), i in zip(parts, idx, strict=True))


def _plain(labels: npt.NDArray[Any]) -> list[Any]:
    if np.issubdtype(labels.dtype, np.datetime64):
        return [str(v) for v in labels]
    return labels.tolist()


def h3_cell_ints(lats: npt.ArrayLike, lons: npt.ArrayLike, resolution: int) -> npt.NDArray[np.uint64]:
    """H3 cells as uint64 (0 where the position is invalid): the fast form for counting.

    Identical to `h3.latlng_to_cell` for every point (see h3index); about 0.15 s per million points
    in a city, against 0.4 s for one h3 call per point.
    """
    res = validate_resolution(resolution)
    lat = np.asarray(lats, dtype=float).ravel()
    lon = np.asarray(lons, dtype=float).ravel()
    ok = valid_lat_lon_mask(lat, lon)
    out = np.zeros(lat.size, dtype=np.uint64)
    out[ok] = cells_of(lat[ok], lon[ok], res)
    return out


def aggregate(
    lats: npt.ArrayLike,
    lons: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    categories: npt.ArrayLike | None = None,
    kinds: npt.ArrayLike | None = None,
    by: Sequence[str] = ("cell", "category", "day_night"),
    resolution: int = 9,
    areas: AreaIndex | npt.ArrayLike | None = None,
    window: str | npt.ArrayLike | None = None,
    tz: str | tzinfo | None = None,
    cells: npt.ArrayLike | None = None,
    night: npt.ArrayLike | None = None,
    weights: npt.ArrayLike | None = None,
) -> Aggregate:
    """Count reports by the dimensions in `by` (see DIMENSIONS).

    `times` are datetime64 in UTC. Weekday (Monday = 0), hour and named windows ("day", "week",
    "month", "quarter", "year") are read in the city's zone `tz` (an IANA name); explicit window
    edges are UTC datetime64 values (a report belongs to [edge i, edge i+1)). Day and night follow
    civil twilight at the report's own place and moment. `categories` and `kinds` may be strings or
    integer codes (integers are fastest: pass the database ids and map them back afterwards).
    `areas` is an AreaIndex (points are located) or the area code of each report. `cells` (H3 ints
    or strings) and `night` (bool, or 1/0/-1) may be passed when they were stored at intake.
    """
    by = tuple(by)
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown or len(set(by)) != len(by):
        raise ValueError(f"by must name distinct dimensions from {', '.join(DIMENSIONS)}; got {by}")
    lat = np.asarray(lats, dtype=float).ravel()
    lon = np.asarray(lons, dtype=float).ravel()
    n = lat.size
    if lon.size != n or np.asarray(times).size != n:
        raise ValueError("lats, lons and times must have the same length")
    w = None if weights is None else np.asarray(weights, dtype=float).ravel()
    res: int | None = None
    need_local = any(d in by for d in ("weekday", "hour")) or isinstance(window, str)
    utc, nat = utc_seconds(times) if need_local or "window" in by else (np.zeros(n, np.int64), np.zeros(n, bool))
    local = utc + utc_offsets(utc, zone(tz)) if need_local else utc

    parts: list[tuple[IntArray, npt.NDArray[Any]]] = []
    for dim in by:
        if dim == "cell":
            res = validate_resolution(resolution)
            if res not in CELL_RESOLUTIONS:
                raise ValueError(f"cell resolution must be one of {CELL_RESOLUTIONS}, got {res}")
            parts.append(_cells(lat, lon, res, cells))
        elif dim == "area":
            if areas is None:
                raise ValueError("grouping by area needs `areas` (an AreaIndex or one code per report)")
            codes = areas.locate_many(lat, lon) if isinstance(areas, AreaIndex) else np.asarray(areas)
            parts.append(factorize(_sized(codes, n, "areas")))
        elif dim in ("category", "kind"):
            values = categories if dim == "category" else kinds
            if values is None:
                raise ValueError(f"grouping by {dim} needs `{'categories' if dim == 'category' else 'kinds'}`")
            parts.append(factorize(_sized(values, n, dim)))
        elif dim == "day_night":
            flag = night_mask(times, lat, lon) if night is None else _night_codes(_sized(night, n, "night"))
            parts.append((flag.astype(np.int64), np.array(["day", "night"], dtype=object)))
        elif dim == "weekday":
            parts.append((np.where(nat, -1, (local // DAY_S + 3) % 7), np.arange(7)))
        elif dim == "hour":
            parts.append((np.where(nat, -1, (local % DAY_S) // 3600), np.arange(24)))
        else:
            if window is None:
                raise ValueError('grouping by window needs `window` ("month", …, or edges)')
            local_t = np.where(nat, np.datetime64("NaT", "s"), local.astype("datetime64[s]"))
            utc_t = np.where(nat, np.datetime64("NaT", "s"), utc.astype("datetime64[s]"))
            parts.append(window_labels(local_t, window, utc_t))

    ok = np.ones(n, dtype=bool)
    for c, _ in parts:
        ok &= c >= 0
    kept = [c[ok] for c, _ in parts]
    idx, counts = count_combinations(kept, [len(lab) for _, lab in parts], None if w is None else w[ok])
    keys = tuple(lab[i] for (_, lab), i in zip(parts, idx, strict=True))
    return Aggregate(by=by, keys=keys, counts=counts, excluded=int(n - ok.sum()), resolution=res)


def _sized(values: npt.ArrayLike, n: int, name: str) -> npt.NDArray[Any]:
    arr = np.asarray(values).ravel()
    if arr.size != n:
        raise ValueError(f"{name} must have one value per report ({n}), got {arr.size}")
    return arr


def _night_codes(night: npt.NDArray[Any]) -> npt.NDArray[np.int8]:
    if night.dtype.kind == "b":
        return night.astype(np.int8)
    if night.dtype.kind in "iu":
        return np.where(np.isin(night, (0, 1)), night, -1).astype(np.int8)
    text = night.astype(str)
    return np.where(text == "night", 1, np.where(text == "day", 0, -1)).astype(np.int8)


def _cells(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], res: int, cells: npt.ArrayLike | None
) -> tuple[IntArray, npt.NDArray[Any]]:
    if cells is None:
        ints = h3_cell_ints(lat, lon, res)
    else:
        given = _sized(cells, lat.size, "cells")
        if given.dtype.kind in "iu":
            ints = given.astype(np.uint64)
        else:
            s_codes, s_labels = factorize(given)
            as_int = np.array([h3.str_to_int(c) for c in s_labels.tolist()] + [0], dtype=np.uint64)
            ints = as_int[s_codes]  # code -1 picks the trailing 0: "no cell"
        if ints.size and (ints != 0).any():
            sample = int(ints[ints != 0][0])
            if h3.get_resolution(h3.int_to_str(sample)) != res:
                raise ValueError(f"the given cells are not at resolution {res}")
    present = ints != 0
    codes = np.full(ints.size, -1, dtype=np.int64)
    uniq, inv = np.unique(ints[present], return_inverse=True)
    codes[present] = inv.ravel()
    labels = np.array([h3.int_to_str(int(c)) for c in uniq.tolist()], dtype=object)
    return codes, labels
