"""Near-duplicate reports: the same incident reported twice, or by several people.

Two reports are a candidate pair when their texts are alike, they are close in time and, when
both have a place, close in space. Texts are compared only inside blocks of reports that are
already close in time and space, so 100,000 open reports cost seconds, not the 5·10⁹ comparisons
of every pair: reports with a place are joined with the reports of their own and neighbouring H3
cells within the time window (a sorted-array join, no Python loop over reports), and reports
without a place with every report of their time window, by sparse matrix products per window.

Similarity is the cosine of hashed, accent-folded character-trigram counts (log-scaled, no IDF):
it depends only on the two texts, so find_duplicates and similar_to agree, a pair's score never
changes because an unrelated report arrived, and typos or inflections ("volé"/"vole", "stolen"/
"stole") still share most trigrams.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import h3
import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from streetlight.toolkit.geo.coords import haversine_m, valid_lat_lon_mask

DEFAULT_MIN_SIMILARITY: Final = 0.6
DEFAULT_MAX_DISTANCE_M: Final = 250.0
DEFAULT_WINDOW: Final = timedelta(hours=24)
#: Texts are compared on their first 2,000 characters: enough to recognise a retelling, and it
#: bounds the cost of one pasted novel.
MAX_TEXT_CHARS: Final = 2_000
_N_FEATURES: Final = 2**20
_PAIR_CHUNK: Final = 200_000  # pairs scored at once: bounds memory to some 100 MB

_vectorizer = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 3),
    n_features=_N_FEATURES,
    alternate_sign=False,
    norm=None,
    lowercase=True,
    strip_accents="unicode",
    dtype=np.float32,
)


@dataclass(frozen=True, slots=True)
class DedupeItem[IdT: Hashable]:
    """One report as dedupe sees it. A naive `when` is taken as UTC; a missing or invalid
    position (None, NaN, out of range) means "no place". Generic in the id's type, so the pairs
    found carry ids of that type (DedupeItem(id="r1", ...) gives DuplicatePair[str])."""

    id: IdT
    text: str
    when: datetime
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class DuplicatePair[IdT: Hashable]:
    """Two reports that look like one incident. In find_duplicates `a` is the earlier report; in
    similar_to it is the new report. `distance_m` is None unless both have a place. `score`
    ranks pairs for an operator: the similarity, discounted linearly by up to a half for distance
    and for time apart, and by a quarter when a place is missing."""

    a: IdT
    b: IdT
    similarity: float
    distance_m: float | None
    seconds_apart: float
    score: float


def _clean(text: str) -> str:
    head = text[:MAX_TEXT_CHARS]
    # Lone surrogates (a broken JSON escape) cannot be hashed as UTF-8: replace them.
    return head if head.isascii() else head.encode("utf-8", errors="replace").decode("utf-8")


def _vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised log-count trigram vectors, one row per text (a zero row for an empty one)."""
    x = _vectorizer.transform([_clean(t) for t in texts]).tocsr()
    np.log1p(x.data, out=x.data)
    return normalize(x, norm="l2", copy=False)


def _epoch(when: datetime) -> float:
    return (when if when.tzinfo is not None else when.replace(tzinfo=UTC)).timestamp()


@dataclass(frozen=True, slots=True)
class _Table:
    t: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    placed: npt.NDArray[np.bool_]


def _table(items: Sequence[DedupeItem[Hashable]]) -> _Table:
    t = np.fromiter((_epoch(it.when) for it in items), dtype=np.float64, count=len(items))
    lat = np.array([np.nan if it.lat is None else it.lat for it in items], dtype=np.float64)
    lon = np.array([np.nan if it.lon is None else it.lon for it in items], dtype=np.float64)
    return _Table(t, lat, lon, valid_lat_lon_mask(lat, lon))


def _check(min_similarity: float, max_distance_m: float | None, window: timedelta) -> float:
    if not 0.0 <= min_similarity <= 1.0:
        raise ValueError("min_similarity must be between 0 and 1")
    if max_distance_m is not None and not (math.isfinite(max_distance_m) and max_distance_m >= 0):
        raise ValueError("max_distance_m must be a non-negative number of metres, or None")
    seconds = window.total_seconds()
    if seconds < 0:
        raise ValueError("window must not be negative")
    return seconds


def _ragged_arange(starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """concatenate(arange(s, s + c) for s, c in zip(starts, counts)), without the Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(ends - counts, counts)
    return np.repeat(starts, counts) + offsets


def _resolution_for(max_distance_m: float) -> int | None:
    """Finest H3 resolution whose average edge is at least twice max_distance_m, so that every
    point within max_distance_m of a cell lies in that cell or its ring of neighbours (cells of
    one resolution vary in size; the factor two covers the smallest). None: too far to block."""
    for res in range(15, -1, -1):
        if h3.average_hexagon_edge_length(res, unit="m") >= 2.0 * max(max_distance_m, 1.0):
            return res
    return None


def _placed_candidates(
    idx: npt.NDArray[np.int64], table: _Table, window_s: float, max_distance_m: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs (i, j), i < j, of placed items within the window and max_distance_m: items sorted by
    (cell, time) and each item's cell ring joined to that order with searchsorted."""
    res = _resolution_for(max_distance_m)
    lat, lon, t = table.lat[idx], table.lon[idx], table.t[idx]
    if res is None:
        cell_of = np.zeros(idx.size, dtype=np.int64)
        ring_ptr, ring = np.array([0, 1]), np.array([0])
    else:
        cells = [h3.latlng_to_cell(la, lo, res) for la, lo in zip(lat.tolist(), lon.tolist(), strict=True)]
        names, cell_of = np.unique(np.array(cells), return_inverse=True)
        cell_of = cell_of.astype(np.int64)
        position = {name: k for k, name in enumerate(names.tolist())}
        rings = [[position[c] for c in h3.grid_disk(name, 1) if c in position] for name in names.tolist()]
        ring_ptr = np.concatenate([[0], np.cumsum([len(r) for r in rings])]).astype(np.int64)
        ring = np.array([c for r in rings for c in r], dtype=np.int64)

    t0 = float(t.min())
    span = float(t.max()) - t0 + 2.0 * window_s + 10.0
    order = np.lexsort((t, cell_of))
    keys = cell_of[order] * span + (t[order] - t0)

    # One query per (item, cell of its ring).
    ring_sizes = np.diff(ring_ptr)[cell_of]
    q_item = np.repeat(np.arange(idx.size, dtype=np.int64), ring_sizes)
    q_cell = ring[_ragged_arange(ring_ptr[cell_of], ring_sizes)]
    q_key = q_cell * span + (t[q_item] - t0)
    lo = np.searchsorted(keys, q_key - window_s - 1.0, side="left")
    hi = np.searchsorted(keys, q_key + window_s + 1.0, side="right")

    out_i: list[npt.NDArray[np.int64]] = []
    out_j: list[npt.NDArray[np.int64]] = []
    counts = (hi - lo).astype(np.int64)
    cumulative = np.cumsum(counts)
    start = 0
    while start < q_item.size:  # a chunk of queries at a time: a dense hot spot stays in memory
        done = int(cumulative[start - 1]) if start else 0
        stop = max(int(np.searchsorted(cumulative, done + _PAIR_CHUNK, side="right")), start + 1)
        sl = slice(start, stop)
        i = np.repeat(q_item[sl], counts[sl])
        j = order[_ragged_arange(lo[sl].astype(np.int64), counts[sl])]
        keep = i < j
        i, j = i[keep], j[keep]
        keep = np.abs(t[i] - t[j]) <= window_s
        i, j = i[keep], j[keep]
        keep = haversine_m(lat[i], lon[i], lat[j], lon[j]) <= max_distance_m
        out_i.append(idx[i[keep]])
        out_j.append(idx[j[keep]])
        start = stop
    if not out_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _similarities(x: sparse.csr_matrix, i: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Cosine of rows i[k] and j[k] for every k, a chunk of pairs at a time."""
    out = np.empty(i.size, dtype=np.float64)
    for s in range(0, i.size, _PAIR_CHUNK):
        e = s + _PAIR_CHUNK
        out[s:e] = np.asarray(x[i[s:e]].multiply(x[j[s:e]]).sum(axis=1)).ravel()
    return out


def _unplaced_matches(
    x: sparse.csr_matrix, table: _Table, window_s: float, min_similarity: float, queries: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Pairs of each query item with every other item in its time window whose text is alike:
    one sparse product per window-wide time bucket (queries of the bucket × items of the bucket
    and its two neighbours). Each pair appears once: a placed partner only pairs from the
    placeless side, a placeless one only from the lower index."""
    width = max(window_s, 1.0)
    bucket = np.floor((table.t - table.t.min()) / width).astype(np.int64)
    order = np.argsort(bucket, kind="stable")
    sorted_buckets = bucket[order]
    is_query = np.zeros(table.t.size, dtype=bool)
    is_query[queries] = True
    out_i, out_j, out_s = [], [], []
    for b in np.unique(bucket[queries]).tolist():
        in_bucket = queries[bucket[queries] == b]
        lo = np.searchsorted(sorted_buckets, b - 1, side="left")
        hi = np.searchsorted(sorted_buckets, b + 1, side="right")
        cand = order[lo:hi]
        x_cand_t = x[cand].T.tocsc()
        rows = max(1, _PAIR_CHUNK // max(cand.size, 1))  # bounds the product's (mostly dense) size
        for r in range(0, in_bucket.size, rows):
            q = in_bucket[r : r + rows]
            sims = (x[q] @ x_cand_t).tocoo()
            keep = sims.data >= min_similarity
            i, j, s = q[sims.row[keep]], cand[sims.col[keep]], sims.data[keep]
            keep = (i != j) & (np.abs(table.t[i] - table.t[j]) <= window_s) & (~is_query[j] | (i < j))
            out_i.append(i[keep])
            out_j.append(j[keep])
            out_s.append(s[keep].astype(np.float64))
    if not out_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def _scores(
    similarity: npt.NDArray[np.float64],
    distance: npt.NDArray[np.float64],
    seconds: npt.NDArray[np.float64],
    max_distance_m: float | None,
    window_s: float,
) -> npt.NDArray[np.float64]:
    time_factor = 1.0 - 0.5 * seconds / window_s if window_s > 0 else np.ones_like(seconds)
    if max_distance_m:
        place_factor = np.where(np.isnan(distance), 0.75, 1.0 - 0.5 * np.nan_to_num(distance) / max_distance_m)
    else:
        place_factor = np.where(np.isnan(distance), 0.75, 1.0)
    return np.asarray(similarity * place_factor * time_factor, dtype=np.float64)


def _pairs[IdT: Hashable](
    ids_a: Sequence[IdT],
    ids_b: Sequence[IdT],
    sim: npt.NDArray[np.float64],
    dist: npt.NDArray[np.float64],
    secs: npt.NDArray[np.float64],
    score: npt.NDArray[np.float64],
) -> list[DuplicatePair[IdT]]:
    return [
        DuplicatePair(a, b, round(s, 4), None if math.isnan(d) else round(d, 1), round(dt, 1), round(sc, 4))
        for a, b, s, d, dt, sc in zip(
            ids_a, ids_b, sim.tolist(), dist.tolist(), secs.tolist(), score.tolist(), strict=True
        )
    ]


def find_duplicates[IdT: Hashable](
    items: Sequence[DedupeItem[IdT]],
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    max_distance_m: float | None = DEFAULT_MAX_DISTANCE_M,
    window: timedelta = DEFAULT_WINDOW,
) -> list[DuplicatePair[IdT]]:
    """Every pair of items whose texts have cosine similarity ≥ min_similarity, that are at most
    `window` apart in time and, when both have a place, at most max_distance_m apart (None: place
    is ignored), best score first.

    A report without a place can pair with any report of its time window, so many of them in one
    window cost time: each is compared by text with all reports of its window and the two beside it.
    """
    window_s = _check(min_similarity, max_distance_m, window)
    n = len(items)
    if n < 2:
        return []
    table = _table(items)
    x = _vectors([it.text for it in items])

    everything = np.arange(n, dtype=np.int64)
    if max_distance_m is None:
        i, j, sim = _unplaced_matches(x, table, window_s, min_similarity, everything)
    else:
        placed = everything[table.placed]
        if placed.size >= 2:
            pi, pj = _placed_candidates(placed, table, window_s, max_distance_m)
            psim = _similarities(x, pi, pj)
            keep = psim >= min_similarity
            pi, pj, psim = pi[keep], pj[keep], psim[keep]
        else:
            pi = pj = np.zeros(0, dtype=np.int64)
            psim = np.zeros(0, dtype=np.float64)
        ui, uj, usim = _unplaced_matches(x, table, window_s, min_similarity, everything[~table.placed])
        i, j, sim = np.concatenate([pi, ui]), np.concatenate([pj, uj]), np.concatenate([psim, usim])

    # Earlier report first (input order breaks ties), then best score first.
    swap = (table.t[j] < table.t[i]) | ((table.t[j] == table.t[i]) & (j < i))
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    both = table.placed[i] & table.placed[j]
    dist = np.full(i.size, np.nan)
    dist[both] = haversine_m(table.lat[i[both]], table.lon[i[both]], table.lat[j[both]], table.lon[j[both]])
    secs = np.abs(table.t[j] - table.t[i])
    sim = np.minimum(sim, 1.0)
    score = _scores(sim, dist, secs, max_distance_m, window_s)
    order = np.lexsort((j, i, -score))
    return _pairs(
        [items[k].id for k in i[order].tolist()],
        [items[k].id for k in j[order].tolist()],
        sim[order],
        dist[order],
        secs[order],
        score[order],
    )


def similar_to[IdT: Hashable](
    item: DedupeItem[IdT],
    candidates: Sequence[DedupeItem[IdT]],
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    max_distance_m: float | None = DEFAULT_MAX_DISTANCE_M,
    window: timedelta = DEFAULT_WINDOW,
) -> list[DuplicatePair[IdT]]:
    """Which of `candidates` (typically the open reports) look like the same incident as `item`,
    best score first, each as DuplicatePair(a=item.id, b=candidate.id, ...).

    Time and place are filtered first on arrays, so only the few candidates nearby have their
    text vectorised; the rules and similarity are those of find_duplicates. A candidate with the
    same id as `item` is skipped (the new report may already be among the open ones).
    """
    window_s = _check(min_similarity, max_distance_m, window)
    if not candidates:
        return []
    table = _table(candidates)
    me = _table([item])
    secs = np.abs(table.t - me.t[0])
    keep = secs <= window_s
    dist = np.full(len(candidates), np.nan)
    if me.placed[0]:
        dist[table.placed] = haversine_m(me.lat[0], me.lon[0], table.lat[table.placed], table.lon[table.placed])
        if max_distance_m is not None:
            keep &= ~(dist > max_distance_m)  # NaN (no place) passes
    keep &= np.array([c.id != item.id for c in candidates], dtype=bool)
    near = np.flatnonzero(keep)
    if near.size == 0:
        return []
    x = _vectors([item.text, *(candidates[k].text for k in near.tolist())])
    sim = np.minimum(np.asarray((x[1:] @ x[0].T).todense()).ravel(), 1.0)
    good = sim >= min_similarity
    near, sim = near[good], sim[good]
    score = _scores(sim, dist[near], secs[near], max_distance_m, window_s)
    order = np.lexsort((near, -score))
    return _pairs(
        [item.id] * near.size,
        [candidates[k].id for k in near[order].tolist()],
        sim[order],
        dist[near][order],
        secs[near][order],
        score[order],
    )
