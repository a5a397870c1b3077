"""Which hidden counts can be worked out from everything published about the same records.

Each table of a release is safe on its own (`suppress`), but tables cut from the same records are
one system of equations: a district's quarter is the sum of its months in another table, the crime
column of one table is the sum of crime categories in another. A hidden count is *recoverable* when
some combination of published counts equals it, whatever the records behind them.

Model. Every record has one value per dimension (area, month, category, kind, …). The smallest
groups of records any published count can tell apart are the *atoms*: one per combination of
dimension values, less the combinations known to be impossible (e.g. a category's kinds, from the
public catalogue). A published or hidden count is the sum of the atoms it covers (a row of 0/1), so
a hidden count h is recoverable exactly when its row lies in the span of the published rows: then
h = Σ wᵢ·publishedᵢ for any records whatever. The test is one singular value decomposition per
connected block of counts, and it finds every recoverable count — one hidden count alone in a group
whose total is published, a coarser table minus the visible finer counts, and any longer chain.

Counts are never negative, which tells a reader more: a published 0 empties every atom it covers,
and so does the difference between two known counts when one group contains the other and both are
equal (a table of reports with a point whose total equals another table's total of all reports says
that no report lacks a point). Those atoms are removed and the span test runs again, until nothing
new is learnt (a fixed point). Bounds that only pin a count to one value through inequalities (a
linear programme) are not searched for; `suppress` keeps them away by choosing positive complements.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

#: Beyond this many combinations of dimension values, split the release into independent blocks
#: (e.g. one per quarter) and audit each.
MAX_ATOMS = 500_000
_TOL = 1e-7

Where = Mapping[str, Collection[Any]]


@dataclass(frozen=True, eq=False)
class Cell:
    """One count of a release: the records whose value of each named dimension is one of the given
    values (a dimension not named: any value). `value` is None when the count is hidden."""

    table: str
    label: tuple[Any, ...]
    where: Where
    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __repr__(self) -> str:
        shown = "hidden" if self.value is None else self.value
        return f"Cell({self.table}: {', '.join(map(str, self.label))} = {shown})"


@dataclass(frozen=True, eq=False)
class Recovered:
    """A hidden count that the published ones pin down: its value, the published counts of one way
    to work it out (value = Σ weight × count), and the counts that way relies on to know some groups
    are empty (published zeros, equal totals) — with `explain` only."""

    cell: Cell
    value: int
    uses: tuple[tuple[Cell, float], ...] = field(default=())
    needs: tuple[Cell, ...] = field(default=())


def recoverable_cells(
    cells: Sequence[Cell],
    *,
    domains: Mapping[str, Sequence[Any]],
    combinations: Mapping[tuple[str, ...], Collection[tuple[Any, ...]]] | None = None,
    explain: bool = True,
) -> list[Recovered]:
    """Every hidden cell of `cells` that the published ones determine exactly.

    `domains` lists the values each dimension can take; `combinations` the only value combinations
    some dimensions can take together (public knowledge, e.g. {("category", "kind"): {("theft",
    "crime"), …}}) — the more a reader is assumed to know, the more is found, so when in doubt say
    more. `explain=False` skips finding a short way to work each one out (`Recovered.uses`).
    ValueError for a dimension or value outside `domains`.
    """
    if not any(c.hidden for c in cells):
        return []
    combos = dict(combinations or {})
    dims = sorted({d for c in cells for d in c.where} | {d for key in combos for d in key})
    missing = [d for d in dims if d not in domains]
    if missing:
        raise ValueError(f"no domain for the dimensions {', '.join(missing)}")
    index = {d: {v: i for i, v in enumerate(domains[d])} for d in dims}
    codes = _atom_codes(dims, index, combos)
    member = _membership(cells, dims, index, codes)
    member = _merge_atoms(member)
    found: list[Recovered] = []
    with _one_thread():  # small matrices: threads only fight over the cores
        for block in _blocks(member):
            found.extend(_solve([cells[i] for i in block], member[block], explain))
    order = {id(c): i for i, c in enumerate(cells)}
    return sorted(found, key=lambda r: order[id(r.cell)])


def added_by(
    new: Sequence[Cell],
    fixed: Sequence[Cell],
    *,
    domains: Mapping[str, Sequence[Any]],
    combinations: Mapping[tuple[str, ...], Collection[tuple[Any, ...]]] | None = None,
    explain: bool = True,
) -> list[Recovered]:
    """The hidden counts — of `new` or of `fixed` — that publishing `new` beside `fixed` lets a reader
    work out and `fixed` alone does not (with every count of `new` hidden). What a release already
    out gives away is that release's doing; this is what the new one must answer for."""
    blank = [Cell(c.table, c.label, c.where, None) for c in new]
    position = {id(c): n for n, c in enumerate(blank)}
    before = recoverable_cells([*fixed, *blank], domains=domains, combinations=combinations, explain=False)
    given = {id(r.cell) for r in before} | {id(new[position[id(r.cell)]]) for r in before if id(r.cell) in position}
    found = recoverable_cells([*fixed, *new], domains=domains, combinations=combinations, explain=explain)
    return [r for r in found if id(r.cell) not in given]


def _one_thread() -> AbstractContextManager[Any]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return nullcontext()
    return threadpool_limits(1)


def _atom_codes(
    dims: list[str], index: dict[str, dict[Any, int]], combos: Mapping[tuple[str, ...], Collection[tuple[Any, ...]]]
) -> npt.NDArray[np.int64]:
    """The possible atoms, as one row of value codes per atom (one column per dimension)."""
    sizes = [len(index[d]) for d in dims]
    total = math.prod(sizes)
    if total > MAX_ATOMS:
        raise ValueError(f"{total} combinations of values: audit independent blocks separately")
    codes = np.indices(sizes).reshape(len(dims), -1).T.astype(np.int64)
    keep = np.ones(len(codes), dtype=bool)
    for key, allowed in combos.items():
        cols = [dims.index(d) for d in key]
        radix = [sizes[c] for c in cols]
        ok = np.zeros(math.prod(radix), dtype=bool)
        for combo in allowed:
            if len(combo) != len(key):
                raise ValueError(f"combinations of {key} need {len(key)} values each")
            try:
                ok[np.ravel_multi_index(tuple(index[d][v] for d, v in zip(key, combo, strict=True)), radix)] = True
            except KeyError:
                continue  # a combination of values that no domain lists: no record can have it here
        keep &= ok[np.ravel_multi_index(tuple(codes[:, c] for c in cols), radix)]
    return codes[keep]


def _membership(
    cells: Sequence[Cell], dims: list[str], index: dict[str, dict[Any, int]], codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    out = np.ones((len(cells), len(codes)), dtype=bool)
    for i, cell in enumerate(cells):
        for dim, values in cell.where.items():
            lookup = np.zeros(len(index[dim]), dtype=bool)
            for v in values:
                if v not in index[dim]:
                    raise ValueError(f"{v!r} is not in the domain of {dim!r} ({cell!r})")
                lookup[index[dim][v]] = True
            out[i] &= lookup[codes[:, dims.index(dim)]]
    return out


def _merge_atoms(member: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Atoms that every cell covers alike are one unknown; atoms no cell covers do not matter."""
    used = member.any(axis=0)
    packed = np.packbits(member[:, used], axis=0)
    _, first = np.unique(packed.T, axis=0, return_index=True)
    return member[:, used][:, np.sort(first)]


def _blocks(member: npt.NDArray[np.bool_]) -> list[npt.NDArray[np.int64]]:
    """Groups of cells sharing no atom with any other group: independent systems."""
    n, a = member.shape
    r, c = np.nonzero(member)
    graph = sparse.csr_matrix((np.ones(r.size), (r, n + c)), shape=(n + a, n + a))
    _, labels = connected_components(graph, directed=False)
    cell_labels = labels[:n]
    return [np.flatnonzero(cell_labels == lab) for lab in np.unique(cell_labels)]


def _solve(cells: list[Cell], member: npt.NDArray[np.bool_], explain: bool) -> list[Recovered]:
    """The span test, repeated while non-negativity empties more atoms. With `explain`, each
    emptied atom remembers the published counts that showed it empty, so a finding can name them."""
    shown = np.array([not c.hidden for c in cells])
    values = np.array([0.0 if c.value is None else float(c.value) for c in cells])
    why: dict[int, frozenset[int]] = {}  # emptied atom → published cells (indices) that show it
    for i in np.flatnonzero(shown & (values == 0)).tolist():
        for atom in np.flatnonzero(member[i]).tolist():
            why.setdefault(atom, frozenset({i}))
    while True:
        found = _span(cells, member, why, shown, values, explain)
        basis = {i: frozenset({i}) for i in np.flatnonzero(shown).tolist()}
        basis.update({i: frozenset(uses) | needs for i, _, uses, needs in found})
        learnt: dict[int, frozenset[int]] = {}
        for i, value, _, _ in found:
            if value == 0:
                for atom in np.flatnonzero(member[i]).tolist():
                    learnt.setdefault(atom, basis[i])
        known = {i: float(values[i]) for i in np.flatnonzero(shown).tolist()}
        known.update({i: float(value) for i, value, _, _ in found})
        for a, b, atoms in _emptied_by_equal_nested(member, why, known):
            for atom in atoms:
                learnt.setdefault(atom, basis[a] | basis[b])
        learnt = {atom: cause for atom, cause in learnt.items() if atom not in why}
        if not learnt:
            return [
                Recovered(
                    cells[i],
                    value,
                    tuple((cells[j], w) for j, w in uses.items()),
                    tuple(cells[j] for j in sorted(needs - set(uses))),
                )
                for i, value, uses, needs in found
            ]
        why.update(learnt)


Found = tuple[int, int, dict[int, float], frozenset[int]]  # cell, value, uses (cell → weight), needs


def _span(
    cells: list[Cell],
    member: npt.NDArray[np.bool_],
    why: dict[int, frozenset[int]],
    shown: npt.NDArray[np.bool_],
    values: npt.NDArray[np.float64],
    explain: bool,
) -> list[Found]:
    """Hidden cells in the span of the published rows over the atoms not known to be empty."""
    active = np.ones(member.shape[1], dtype=bool)
    active[list(why)] = False
    pub_idx = np.flatnonzero(shown)
    published = member[pub_idx][:, active].astype(float)
    hidden_idx = np.flatnonzero(~shown)
    hidden = member[hidden_idx][:, active].astype(float)
    if published.size == 0 or published.shape[1] == 0:
        basis = np.zeros((0, published.shape[1]))
        u = np.zeros((published.shape[0], 0))
        s = np.zeros(0)
    else:
        u, s, vt = np.linalg.svd(published, full_matrices=False)
        rank = int((s > s.max() * max(published.shape) * np.finfo(float).eps * 10).sum())
        u, s, basis = u[:, :rank], s[:rank], vt[:rank]
    coords = hidden @ basis.T
    residual = np.linalg.norm(hidden - coords @ basis, axis=1)
    solution = basis.T @ ((u.T @ values[pub_idx]) / s) if s.size else np.zeros(published.shape[1])
    out: list[Found] = []
    for row, i in enumerate(hidden_idx.tolist()):
        if residual[row] > _TOL * max(1.0, float(np.sqrt(hidden[row].sum()))):
            continue
        value = round(float(hidden[row] @ solution)) if hidden[row].any() else 0
        uses: dict[int, float] = {}
        needs: frozenset[int] = frozenset()
        if explain:
            weights = _fewest_counts(published, hidden[row])
            if weights is None:  # the least-squares combination: correct, but it spreads over many counts
                weights = u @ (coords[row] / s) if s.size else np.zeros(0)
            uses = {int(pub_idx[j]): round(float(w), 6) for j, w in enumerate(weights.tolist()) if abs(w) > 1e-6}
            rest = member[i].astype(float)  # what the weights leave over, on the atoms known empty
            for j, w in uses.items():
                rest -= w * member[j]
            needs = frozenset().union(*(why[a] for a in np.flatnonzero(np.abs(rest) > 1e-6).tolist() if a in why))
        out.append((i, value, uses, needs))
    return out


def _fewest_counts(
    published: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64] | None:
    """A short way to work `target` out: weights w with Σ wᵢ·publishedᵢ = target and the least
    Σ|wᵢ| (a linear programme), so a finding reads "this total minus these two counts"."""
    n = published.shape[0]
    if n == 0 or not target.any():
        return np.zeros(n)
    a_eq = sparse.hstack([sparse.csr_matrix(published.T), -sparse.csr_matrix(published.T)]).tocsr()
    result = linprog(np.ones(2 * n), A_eq=a_eq, b_eq=target, bounds=(0, None), method="highs")
    if result.status != 0:
        return None
    weights: npt.NDArray[np.float64] = result.x[:n] - result.x[n:]
    return weights


def _emptied_by_equal_nested(
    member: npt.NDArray[np.bool_], why: dict[int, frozenset[int]], known: dict[int, float]
) -> list[tuple[int, int, list[int]]]:
    """(A, B, atoms in B but not in A) for two known counts A ⊆ B (over the atoms not yet known
    empty) with A = B: since no count is negative, those atoms hold nobody."""
    if len(known) < 2:
        return []
    active = np.ones(member.shape[1], dtype=bool)
    active[list(why)] = False
    ids = np.array(sorted(known))
    sets = member[ids][:, active].astype(float)  # float: the product runs in BLAS, exact for these sizes
    vals = np.array([known[i] for i in ids.tolist()])
    sizes = sets.sum(axis=1)
    same = vals[:, None] == vals[None, :]
    nested = same & (sizes[:, None] < sizes[None, :]) & (sets @ sets.T == sizes[:, None])
    columns = np.flatnonzero(active)
    out = []
    for a, b in np.argwhere(nested).tolist():
        atoms = columns[(sets[b] > 0) & (sets[a] == 0)].tolist()
        out.append((int(ids[a]), int(ids[b]), atoms))
    return out
