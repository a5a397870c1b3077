"""Small-cell suppression of a count table, with complementary suppression.

A published table of counts with its row totals, column totals and grand total is a system of
linear equations: hide one cell of a row and the row total gives it back by subtraction. So, after
hiding every count from 1 to k-1 (primary suppression), more cells are hidden (complementary
suppression) until no hidden cell is determined by what is published.

Method. Add the margins to the table as an extra row and column (the "augmented" table). Draw a
graph with one vertex per row and per column of it and one edge per hidden cell. A hidden cell is
determined by the published cells exactly when its edge is a bridge of that graph (no cycle runs
through it); on a cycle, adding 1 and subtracting 1 alternately along the cycle keeps every
published sum, so at least two values fit. Hence:

1. every line (row or column, margins included) with exactly one hidden cell gets a second one:
   its smallest positive published cell;
2. every remaining bridge gets a cycle: the smallest positive published cell joining the two sides
   the bridge separates (one depth-first search finds all bridges);

repeated until neither applies. Cells chosen as complements are positive, so every cycle has only
positive cells and can move both ways: no hidden value is pinned down by non-negativity either.
(Only if no positive cell can close a cycle is a zero used; one zero on a cycle still lets it move
one way.) Zeros are published: they say "no report here", which is about a group, not a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_K = 10
PUBLISHED, PRIMARY, COMPLEMENTARY = 0, 1, 2

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SuppressedTable:
    """A table with its margins and the suppression decided for every cell.

    `values` and `status` are the augmented (rows+1) × (cols+1) table: the last column holds the
    row totals, the last row the column totals, the corner the grand total. `status` says why a cell
    is hidden (PRIMARY, COMPLEMENTARY) — for the analyst only: publishing the reason would tell a
    reader which hidden cells are small.
    """

    values: IntArray
    status: npt.NDArray[np.int8]
    k: int

    @property
    def suppressed(self) -> npt.NDArray[np.bool_]:
        return self.status != PUBLISHED

    def released(self) -> npt.NDArray[np.float64]:
        """The augmented table as it may be published: NaN where a cell is hidden."""
        return np.where(self.suppressed, np.nan, self.values.astype(float))

    @property
    def n_primary(self) -> int:
        return int((self.status == PRIMARY).sum())

    @property
    def n_complementary(self) -> int:
        return int((self.status == COMPLEMENTARY).sum())

    def to_rows(
        self, row_labels: Sequence[Any] | None = None, col_labels: Sequence[Any] | None = None, *, total: str = "total"
    ) -> list[dict[str, Any]]:
        """Long-form rows {row, col, count} with count None where hidden; margins labelled `total`."""
        m, n = self.values.shape[0] - 1, self.values.shape[1] - 1
        rl = [*(row_labels if row_labels is not None else range(m)), total]
        cl = [*(col_labels if col_labels is not None else range(n)), total]
        if len(rl) != m + 1 or len(cl) != n + 1:
            raise ValueError("one label per row and per column, margins excluded")
        vals, hidden = self.values.tolist(), self.suppressed.tolist()
        return [
            {"row": rl[i], "col": cl[j], "count": None if hidden[i][j] else vals[i][j]}
            for i in range(m + 1)
            for j in range(n + 1)
        ]


def augment(table: npt.ArrayLike) -> IntArray:
    """The table with its row totals as a last column and column totals as a last row."""
    x = np.asarray(table)
    if x.ndim != 2:
        raise ValueError("a table must be two-dimensional (rows × columns)")
    if x.size and (x.dtype.kind not in "iub" and not np.array_equal(x, np.round(x))):
        raise ValueError("counts must be whole numbers")
    x = x.astype(np.int64)
    if (x < 0).any():
        raise ValueError("counts cannot be negative")
    out = np.zeros((x.shape[0] + 1, x.shape[1] + 1), dtype=np.int64)
    out[:-1, :-1] = x
    out[:-1, -1] = x.sum(axis=1)
    out[-1, :-1] = x.sum(axis=0)
    out[-1, -1] = x.sum()
    return out


def suppress(
    table: npt.ArrayLike,
    *,
    k: int = DEFAULT_K,
    hidden: npt.ArrayLike | None = None,
    published: npt.ArrayLike | None = None,
) -> SuppressedTable:
    """Hide every count from 1 to k-1 (margins included) and enough others that none can be derived.

    `k` is the smallest count that may be published (10 by default). Zeros are always published:
    hiding them would put zeros on the cycles that protect the other hidden cells, and a cycle with
    two zeros can no longer move, so the cells on it could be derived after all.

    `hidden` and `published` (boolean, the augmented table's shape) are for tables released together
    with others (`suppress_together`): cells that another table forces to be hidden, and cells whose
    value is public anyway and so cannot protect anything — they are never chosen as complements.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError("k must be a whole number of at least 1")
    values = augment(table)
    small = (values > 0) & (values < k)
    status = np.where(small, PRIMARY, PUBLISHED).astype(np.int8)
    forced = _mask(hidden, values.shape, "hidden")
    status[forced & ~small] = COMPLEMENTARY
    keep = _mask(published, values.shape, "published")
    if (keep & small).any():
        raise ValueError("a count from 1 to k-1 cannot be kept published")
    hidden_now = status != PUBLISHED
    while True:
        added = _second_in_line(values, hidden_now | keep, axis=1, hidden=hidden_now)
        added |= _second_in_line(values, hidden_now | added | keep, axis=0, hidden=hidden_now | added)
        if not added.any():
            added = _break_bridges(values, hidden_now, keep)
            if not added.any():
                break
        status[added] = COMPLEMENTARY
        hidden_now |= added
    return SuppressedTable(values=values, status=status, k=int(k))


def _mask(given: npt.ArrayLike | None, shape: tuple[int, ...], name: str) -> npt.NDArray[np.bool_]:
    if given is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(given, dtype=bool)
    if mask.shape != shape:
        raise ValueError(f"{name} must have the augmented table's shape {shape}, not {mask.shape}")
    return mask


def _cheapest(values: IntArray, candidate: npt.NDArray[np.bool_], axis: int) -> IntArray:
    """Per line, the index of the smallest positive candidate, else of any candidate (-1: none)."""
    big = np.iinfo(np.int64).max
    positive = np.where(candidate & (values > 0), values, big)
    zero = np.where(candidate & (values == 0), 0, big)
    best = np.argmin(positive, axis=axis)
    has_pos = np.min(positive, axis=axis) < big
    fallback = np.argmin(zero, axis=axis)
    has_any = has_pos | (np.min(zero, axis=axis) < big)
    return np.where(has_pos, best, np.where(has_any, fallback, -1)).astype(np.int64)


def _second_in_line(
    values: IntArray, taken: npt.NDArray[np.bool_], axis: int, hidden: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Hide one more cell in every line (rows: axis=1) that has exactly one hidden cell; `taken`
    are the cells that cannot be chosen (hidden already, or kept published)."""
    added = np.zeros_like(hidden)
    lines = np.flatnonzero(hidden.sum(axis=axis) == 1)
    if lines.size == 0:
        return added
    if axis == 1:
        pick = _cheapest(values[lines], ~taken[lines], axis=1)
        ok = pick >= 0
        added[lines[ok], pick[ok]] = True
    else:
        pick = _cheapest(values[:, lines], ~taken[:, lines], axis=0)
        ok = pick >= 0
        added[pick[ok], lines[ok]] = True
    return added


@dataclass(frozen=True)
class _Forest:
    """A depth-first forest over the hidden cells: rows are vertices 0..m-1, columns m..m+n-1, and
    an extra root (vertex m+n) is joined to one vertex of every component so one search covers all."""

    rows: IntArray  # the hidden cells
    cols: IntArray
    comp: IntArray  # component of each table vertex
    pos: IntArray  # position of each vertex in the DFS order (-1: no hidden cell in that line)
    child: IntArray  # for each hidden cell, its lower end if it is a tree edge, else -1
    back_edges: IntArray  # per vertex: back edges leaving its subtree (0 on a tree edge = bridge)
    size: IntArray  # per vertex: size of its subtree


def _forest(hidden: npt.NDArray[np.bool_]) -> _Forest:
    # scipy's graphs, loaded when a table first needs complementary suppression (not at start-up)
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components, depth_first_order

    m, n = hidden.shape
    v = m + n
    r, c = np.nonzero(hidden)
    a, b = r.astype(np.int64), (m + c).astype(np.int64)
    graph = sparse.csr_matrix((np.ones(r.size), (a, b)), shape=(v, v))
    _, comp = connected_components(graph, directed=False)
    used = np.zeros(v, dtype=bool)
    used[a] = used[b] = True
    heads = np.unique(comp[used], return_index=True)[1]
    starts = np.flatnonzero(used)[heads]
    full = sparse.csr_matrix(
        (np.ones(a.size + starts.size), (np.concatenate([a, np.full(starts.size, v)]), np.concatenate([b, starts]))),
        shape=(v + 1, v + 1),
    )
    order, pred = depth_first_order(full, v, directed=False, return_predecessors=True)
    pos = np.full(v + 1, -1, dtype=np.int64)
    pos[order] = np.arange(order.size)
    # A back edge adds 1 at its lower end and takes 1 at its upper end; summed over a subtree, that
    # is the number of back edges leaving it, and the tree edge above it is a bridge when it is 0.
    tree = (pred[b] == a) | (pred[a] == b)
    lower = np.where(pos[a] > pos[b], a, b)[~tree]
    upper = np.where(pos[a] > pos[b], b, a)[~tree]
    acc = np.zeros(v + 1, dtype=np.int64)
    np.add.at(acc, lower, 1)
    np.add.at(acc, upper, -1)
    parents, acc_l, size_l = pred.tolist(), acc.tolist(), [1] * (v + 1)
    for node in reversed(order.tolist()[1:]):  # once per line of the table, not per count
        p = parents[node]
        acc_l[p] += acc_l[node]
        size_l[p] += size_l[node]
    child = np.where(tree, np.where(pred[b] == a, b, a), -1)
    return _Forest(r, c, comp, pos[:v], child, np.asarray(acc_l, dtype=np.int64), np.asarray(size_l, dtype=np.int64))


def bridges(hidden: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Hidden cells that no cycle of hidden cells runs through: their values can be derived."""
    mask = np.asarray(hidden, dtype=bool)
    out = np.zeros_like(mask)
    if not mask.any():
        return out
    f = _forest(mask)
    is_bridge = (f.child >= 0) & (f.back_edges[np.maximum(f.child, 0)] == 0)
    out[f.rows[is_bridge], f.cols[is_bridge]] = True
    return out


def _break_bridges(
    values: IntArray, hidden: npt.NDArray[np.bool_], keep: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """For every bridge, hide the cheapest published cell that closes a cycle through it.

    The far side of a bridge is its lower end's subtree, a contiguous range of the DFS order; any
    cell joining a row on one side to a column on the other (same component) closes a cycle.
    """
    added = np.zeros_like(hidden)
    if not hidden.any():
        return added
    m = hidden.shape[0]
    f = _forest(hidden)
    is_bridge = (f.child >= 0) & (f.back_edges[np.maximum(f.child, 0)] == 0)
    big = np.iinfo(np.int64).max
    for row, child in zip(f.rows[is_bridge].tolist(), f.child[is_bridge].tolist(), strict=True):
        lo = int(f.pos[child])
        inside = (f.pos >= lo) & (f.pos < lo + int(f.size[child]))
        same = f.comp == f.comp[row]
        side_a, side_b = inside & same, ~inside & same
        cross = (np.outer(side_a[:m], side_b[m:]) | np.outer(side_b[:m], side_a[m:])) & ~hidden & ~added & ~keep
        if not cross.any():
            continue  # only when every such cell is kept published: the joint audit then says so
        cost = np.where(cross & (values > 0), values, big)
        if cost.min() == big:
            cost = np.where(cross, 0, big)
        added[np.unravel_index(int(np.argmin(cost)), cost.shape)] = True
    return added
