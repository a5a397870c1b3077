"""Open-data releases built from aggregates: suppressed tables, and sensitive categories rolled up.

Reports of hate, harassment and domestic or sexual violence are few and very personal: a count of
one in a street-sized cell can point at a household. They are therefore only ever released per
district, whatever the resolution of the rest of the map.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
import numpy.typing as npt

from streetlight.toolkit.geo import AreaIndex
from streetlight.toolkit.geo.aggregate import Aggregate, Pivot

from .suppression import DEFAULT_K, SuppressedTable, suppress

TOTAL = "total"


@dataclass(frozen=True)
class SuppressedRelease:
    """A pivot of an aggregate and the suppression decided for it, ready to publish."""

    pivot: Pivot
    table: SuppressedTable

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per cell of the table and of its margins; hidden counts are None.

        Margin rows carry "total" in the dimensions summed over, so a reader can check the sums.
        """
        p = self.pivot
        rows = [*p.row_labels(), (TOTAL,) * len(p.row_dims)]
        cols = [*p.col_labels(), (TOTAL,) * len(p.col_dims)]
        vals, hidden = self.table.values.tolist(), self.table.suppressed.tolist()
        return [
            {
                **dict(zip(p.row_dims, rl, strict=True)),
                **dict(zip(p.col_dims, cl, strict=True)),
                "count": None if hidden[i][j] else vals[i][j],
            }
            for i, rl in enumerate(rows)
            for j, cl in enumerate(cols)
        ]


def suppress_aggregate(
    agg: Aggregate,
    *,
    rows: Sequence[str] = ("cell",),
    cols: Sequence[str] | None = None,
    k: int = DEFAULT_K,
) -> SuppressedRelease:
    """Pivot `agg` (rows × the other dimensions) and suppress it with threshold `k`.

    The table is protected together with its row, column and grand totals. Two tables cut from the
    same reports in different ways are each safe alone, but not necessarily together (see the
    limits in docs/toolkit.md): publish one table per set of reports, or roll up first.
    """
    if agg.counts.dtype.kind == "f":
        raise ValueError("suppression needs whole counts, not weighted sums")
    rows = tuple(rows)
    cols = tuple(d for d in agg.by if d not in rows) if cols is None else tuple(cols)
    pivot = agg.pivot(rows, cols)
    return SuppressedRelease(pivot=pivot, table=suppress(pivot.values, k=k))


def cell_districts(cells: Sequence[str] | npt.ArrayLike, areas: AreaIndex) -> dict[str, str | None]:
    """The area containing each H3 cell's centre (None outside the city).

    A cell on a border goes wholly to the area of its centre, so a report near a district border
    may be counted in the neighbouring district at the cell level; exact district counts come from
    aggregating the reports' own positions by area.
    """
    labels = [str(c) for c in np.asarray(cells, dtype=object).ravel().tolist()]
    centres = np.array([h3.cell_to_latlng(c) for c in labels], dtype=float).reshape(-1, 2)
    found = areas.locate_many(centres[:, 0], centres[:, 1]) if labels else np.array([], dtype=object)
    return dict(zip(labels, found.tolist(), strict=True))


def roll_up_sensitive(
    agg: Aggregate,
    *,
    sensitive: Collection[Any],
    district_of: Mapping[Any, Any] | Callable[[Any], Any],
    spatial: str = "cell",
    category: str = "category",
) -> tuple[Aggregate, Aggregate]:
    """Split `agg` into (other categories as they are, sensitive categories per district).

    The second aggregate has the dimension "district" in place of `spatial`. Places `district_of`
    does not know (None) are left out of it and added to its `excluded`, never shown at a finer level.
    """
    where = agg.column(category)
    is_sensitive = np.isin(where.astype(object), np.asarray(list(sensitive), dtype=object))
    place = agg.column(spatial)
    uniq, inv = np.unique(place.astype(str), return_inverse=True)
    lookup = district_of.get if isinstance(district_of, Mapping) else district_of
    mapped = np.array([lookup(u) for u in uniq.tolist()] + [None], dtype=object)  # per place, not per report
    district = mapped[inv.ravel()]
    known = district != None  # noqa: E711 - elementwise on an object array
    sens = is_sensitive & known
    dims = tuple("district" if d == spatial else d for d in agg.by)
    keys = tuple(district[sens] if d == spatial else agg.column(d)[sens] for d in agg.by)
    dropped = int(agg.counts[is_sensitive & ~known].sum())
    coarse = Aggregate(by=dims, keys=keys, counts=agg.counts[sens], excluded=agg.excluded + dropped)
    fine = Aggregate(
        by=agg.by,
        keys=tuple(k[~is_sensitive] for k in agg.keys),
        counts=agg.counts[~is_sensitive],
        excluded=agg.excluded,
        resolution=agg.resolution,
    )
    return fine, coarse.rollup(dims)
