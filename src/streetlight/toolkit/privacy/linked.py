"""Suppressing several tables of the same records together, so that none reveals another's hidden
counts — also against releases already published (which are kept exactly as they are).

Each table is suppressed on its own (`suppress`); then the joint audit (`recoverable_cells`) looks
for a hidden count that the tables together pin down. For each one, a published count used to work
it out is hidden too (the smallest positive one of the tables being made), each table is suppressed
again around the cells hidden so far, and the audit runs again — until it finds nothing. Cells
only ever get hidden, so this ends; at worst every count of the new tables is hidden, and what is
left, the fixed releases, was safe on its own.

A count of the new tables that the fixed releases already give away (a quarter's total that the
open data publishes too) is published as it is and never chosen as a complement: hiding it would
protect nothing — unless it is under k: then it stays hidden, and since the fixed releases alone
give it away, it is no finding of the new tables (`added_by` says the same for any release).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .inference import Cell, Recovered, Where, recoverable_cells
from .suppression import DEFAULT_K, PRIMARY, SuppressedTable, suppress

TOTAL = "total"


@dataclass(frozen=True)
class LinkedTable:
    """A rows × columns table of counts to release with others.

    Each row and each column is a group of records (dimension → values it counts); `where` is what
    every cell of the table counts (e.g. {"kind": {"crime"}}). Margins count the whole row, the whole
    column, or everything the table counts. Labels name the cells in audit findings.
    """

    name: str
    values: npt.ArrayLike
    rows: Sequence[Where]
    cols: Sequence[Where]
    where: Where = field(default_factory=dict)
    row_labels: Sequence[Any] | None = None
    col_labels: Sequence[Any] | None = None

    def cells(self, table: SuppressedTable) -> list[Cell]:
        """The augmented table's cells (margins last), hidden ones with value None."""
        m, n = len(self.rows), len(self.cols)
        rl = [*(self.row_labels if self.row_labels is not None else range(m)), TOTAL]
        cl = [*(self.col_labels if self.col_labels is not None else range(n)), TOTAL]
        rows, cols = [*self.rows, {}], [*self.cols, {}]
        vals, hidden = table.values.tolist(), table.suppressed.tolist()
        return [
            Cell(
                self.name,
                (rl[i], cl[j]),
                _merge(self.where, rows[i], cols[j]),
                None if hidden[i][j] else int(vals[i][j]),
            )
            for i in range(m + 1)
            for j in range(n + 1)
        ]


def _merge(*parts: Where) -> dict[str, frozenset[Any]]:
    out: dict[str, frozenset[Any]] = {}
    for part in parts:
        for dim, values in part.items():
            out[dim] = out[dim] & frozenset(values) if dim in out else frozenset(values)
    return out


@dataclass(frozen=True)
class LinkedRelease:
    """The suppressed tables, and what the last audit checked."""

    tables: list[SuppressedTable]
    rounds: int  # audits run; the last one found nothing new
    linked: int  # cells hidden only because of another table
    already_public: int  # cells the fixed releases give away, published as they are
    given_away: int  # cells under k the fixed releases alone give away: hidden here all the same


def suppress_together(
    tables: Sequence[LinkedTable],
    *,
    domains: Mapping[str, Sequence[Any]],
    combinations: Mapping[tuple[str, ...], Collection[tuple[Any, ...]]] | None = None,
    fixed: Sequence[Cell] = (),
    k: int = DEFAULT_K,
    max_rounds: int = 200,
) -> LinkedRelease:
    """Suppress `tables` with threshold `k` so that no hidden count — theirs or `fixed`'s — can be
    worked out from everything published that `fixed` alone did not already give away (see
    `recoverable_cells` for `domains`, `combinations`).

    RuntimeError if no such release is found within `max_rounds` audits.
    """
    shapes = [(len(t.rows) + 1, len(t.cols) + 1) for t in tables]
    forced = [np.zeros(s, dtype=bool) for s in shapes]
    keep = [np.zeros(s, dtype=bool) for s in shapes]
    given = [np.zeros(s, dtype=bool) for s in shapes]
    given_fixed: set[int] = set()
    if fixed:
        probe = [suppress(t.values, k=k) for t in tables]
        blank = [SuppressedTable(p.values, np.ones_like(p.status), p.k) for p in probe]
        cells, where = _all_cells(tables, blank, fixed)
        for known in recoverable_cells(cells, domains=domains, combinations=combinations, explain=False):
            if id(known.cell) in where:
                t, i, j = where[id(known.cell)]
                given[t][i, j] = True
                value = int(probe[t].values[i, j])
                keep[t][i, j] = value == 0 or value >= k  # public anyway: hiding it protects nothing
            else:
                given_fixed.add(id(known.cell))
    for rounds in range(1, max_rounds + 1):
        result = [suppress(t.values, k=k, hidden=f, published=p) for t, f, p in zip(tables, forced, keep, strict=True)]
        cells, where = _all_cells(tables, result, fixed)

        def news(r: Recovered, where: dict[int, tuple[int, int, int]] = where) -> bool:
            if id(r.cell) in where:
                t, i, j = where[id(r.cell)]
                return not given[t][i, j]
            return id(r.cell) not in given_fixed

        found = [r for r in recoverable_cells(cells, domains=domains, combinations=combinations) if news(r)]
        if not found:
            linked = sum(int((f & (r.status != PRIMARY)).sum()) for f, r in zip(forced, result, strict=True))
            kept = int(sum(p.sum() for p in keep))
            return LinkedRelease(
                result, rounds, linked, kept, int(sum((g & ~p).sum() for g, p in zip(given, keep, strict=True)))
            )
        added = False
        for recovered in found:
            pick = _complement(recovered, where, cells, result, keep)
            if pick is not None:
                t, i, j = pick
                added |= not forced[t][i, j]
                forced[t][i, j] = True
        if not added:
            raise RuntimeError(f"cannot protect {found[0].cell!r}: every count used to work it out is fixed")
    raise RuntimeError(f"no safe release within {max_rounds} audits")


def _all_cells(
    tables: Sequence[LinkedTable], result: Sequence[SuppressedTable], fixed: Sequence[Cell]
) -> tuple[list[Cell], dict[int, tuple[int, int, int]]]:
    cells = list(fixed)
    where: dict[int, tuple[int, int, int]] = {}
    for t, (table, suppressed) in enumerate(zip(tables, result, strict=True)):
        n = len(table.cols) + 1
        for pos, cell in enumerate(table.cells(suppressed)):
            where[id(cell)] = (t, pos // n, pos % n)
            cells.append(cell)
    return cells, where


def _complement(
    recovered: Recovered,
    where: dict[int, tuple[int, int, int]],
    cells: Sequence[Cell],
    result: Sequence[SuppressedTable],
    keep: Sequence[npt.NDArray[np.bool_]],
) -> tuple[int, int, int] | None:
    """The published cell of the new tables to hide so this way of working it out fails: the
    smallest positive one it uses, else a zero it relies on (zeros protect one way only). Should
    neither be free, any published cell about some of the same records."""
    used = [c for c, _ in recovered.uses] + list(recovered.needs)
    pick = _cheapest(used, where, result, keep)
    if pick is None:
        near = [c for c in cells if c.value is not None and _overlap(c.where, recovered.cell.where)]
        pick = _cheapest(near, where, result, keep)
    return pick


def _cheapest(
    candidates: Sequence[Cell],
    where: dict[int, tuple[int, int, int]],
    result: Sequence[SuppressedTable],
    keep: Sequence[npt.NDArray[np.bool_]],
) -> tuple[int, int, int] | None:
    best: tuple[float, tuple[int, int, int]] | None = None
    for cell in candidates:
        if id(cell) not in where or cell.value is None:
            continue
        t, i, j = where[id(cell)]
        if keep[t][i, j]:
            continue
        value = int(result[t].values[i, j])
        cost = float(value) if value > 0 else float("inf")
        if best is None or cost < best[0]:
            best = (cost, (t, i, j))
    return None if best is None else best[1]


def _overlap(a: Mapping[str, Collection[Any]], b: Mapping[str, Collection[Any]]) -> bool:
    return all(set(a[d]) & set(b[d]) for d in a.keys() & b.keys())
