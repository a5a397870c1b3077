"""The package's three tables for one quarter, as counts and as groups of records.

Every table is dense over what the public catalogue lists — every district, every month of the
quarter, every main category, kind, day and night — so which rows exist reveals nothing, and a
zero is a published zero. Each cell also says which records it counts (district → its areas,
month, category, kind, day/night, told the police or not), which is what the joint suppression
and the audit reason about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from streetlight.toolkit.privacy import LinkedTable, SuppressedTable

from .records import Catalogue, Records
from .window import quarter_months

TOTAL = "total"
BY_CATEGORY = "reports-by-area-month-category"
BY_DAY_NIGHT = "reports-by-area-month-daynight-kind"
NOT_TOLD = "crime-not-told-police-by-area-quarter"
DAY_NIGHT = ("day", "night")
POLICE = (True, False)  # told, not told


@dataclass(frozen=True)
class Layout:
    """One quarter's rows: districts × months."""

    quarter: str
    districts: list[str]
    months: list[str]
    areas: dict[str, frozenset[str]]  # district → the area codes it holds

    @classmethod
    def of(cls, quarter: str, catalogue: Catalogue) -> Layout:
        codes = catalogue.district_codes
        return cls(quarter, codes, quarter_months(quarter), {d: frozenset(catalogue.areas_of(d)) for d in codes})

    def area_month_rows(self) -> list[dict[str, frozenset[Any]]]:
        return [{"area": self.areas[d], "month": frozenset({m})} for d in self.districts for m in self.months]

    def area_month_labels(self) -> list[tuple[str, str]]:
        return [(d, m) for d in self.districts for m in self.months]

    def area_month_index(self, records: Records) -> npt.NDArray[np.int64]:
        d_index = {d: i for i, d in enumerate(self.districts)}
        m_index = {m: i for i, m in enumerate(self.months)}
        return np.array(
            [d_index[d] * len(self.months) + m_index[m] for d, m in zip(records.district, records.month, strict=True)],
            dtype=np.int64,
        )


def _counts(rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], shape: tuple[int, int]) -> npt.NDArray[np.int64]:
    out = np.zeros(shape, dtype=np.int64)
    ok = (rows >= 0) & (cols >= 0)
    np.add.at(out, (rows[ok], cols[ok]), 1)
    return out


def _codes(values: npt.NDArray[Any], labels: list[Any]) -> npt.NDArray[np.int64]:
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index.get(v, -1) for v in values.tolist()], dtype=np.int64)


def linked_tables(records: Records, catalogue: Catalogue, layout: Layout) -> list[LinkedTable]:
    """The quarter's three tables; `records` are the quarter's."""
    quarter = {"month": frozenset(layout.months)}
    rows = layout.area_month_index(records)
    n_rows = len(layout.districts) * len(layout.months)
    by_category = LinkedTable(
        BY_CATEGORY,
        _counts(rows, _codes(records.main, catalogue.mains), (n_rows, len(catalogue.mains))),
        layout.area_month_rows(),
        [{"category": frozenset({c})} for c in catalogue.mains],
        quarter,
        layout.area_month_labels(),
        list(catalogue.mains),
    )
    columns = [(p, k) for p in DAY_NIGHT for k in catalogue.kinds]
    point = np.isin(records.place, DAY_NIGHT)
    col = _codes(np.array([f"{p}|{k}" for p, k in zip(records.place, records.kind, strict=True)], dtype=object),
                 [f"{p}|{k}" for p, k in columns])  # fmt: skip
    by_day_night = LinkedTable(
        BY_DAY_NIGHT,
        _counts(np.where(point, rows, -1), col, (n_rows, len(columns))),
        layout.area_month_rows(),
        [{"place": frozenset({p}), "kind": frozenset({k})} for p, k in columns],
        {**quarter, "place": frozenset(DAY_NIGHT)},
        layout.area_month_labels(),
        columns,
    )
    crime = records.kind == "crime"
    district_rows = _codes(records.district, layout.districts)
    not_told = LinkedTable(
        NOT_TOLD,
        _counts(np.where(crime, district_rows, -1), _codes(records.police, list(POLICE)), (len(layout.districts), 2)),
        [{"area": layout.areas[d]} for d in layout.districts],
        [{"police": frozenset({p})} for p in POLICE],
        {**quarter, "kind": frozenset({"crime"})},
        list(layout.districts),
        ["told", "not_told"],
    )
    return [by_category, by_day_night, not_told]


def _grid(table: SuppressedTable) -> list[list[int | None]]:
    vals, hidden = table.values.tolist(), table.suppressed.tolist()
    return [[None if h else v for v, h in zip(vr, hr, strict=True)] for vr, hr in zip(vals, hidden, strict=True)]


def category_rows(layout: Layout, table: LinkedTable, suppressed: SuppressedTable) -> list[dict[str, Any]]:
    grid = _grid(suppressed)
    labels = [*layout.area_month_labels(), (TOTAL, TOTAL)]
    cols = [*(table.col_labels or []), TOTAL]
    return [
        {"quarter": layout.quarter, "area": a, "month": m, "category": c, "count": grid[i][j]}
        for i, (a, m) in enumerate(labels)
        for j, c in enumerate(cols)
    ]


def day_night_rows(layout: Layout, table: LinkedTable, suppressed: SuppressedTable) -> list[dict[str, Any]]:
    grid = _grid(suppressed)
    labels = [*layout.area_month_labels(), (TOTAL, TOTAL)]
    cols = [*(table.col_labels or []), (TOTAL, TOTAL)]
    return [
        {"quarter": layout.quarter, "area": a, "month": m, "day_night": p, "kind": k, "count": grid[i][j]}
        for i, (a, m) in enumerate(labels)
        for j, (p, k) in enumerate(cols)
    ]


def not_told_rows(layout: Layout, suppressed: SuppressedTable) -> list[dict[str, Any]]:
    """One row per district and one for the city: crime reports, told, not told, and the share not
    told where both of its counts are published (a function of published counts: nothing more)."""
    out = []
    for i, area in enumerate([*layout.districts, TOTAL]):
        told, not_told, total = _grid(suppressed)[i]
        share = round(not_told / total, 3) if total and not_told is not None else None
        out.append(
            {
                "quarter": layout.quarter,
                "area": area,
                "crime_reports": total,
                "told_police": told,
                "not_told_police": not_told,
                "share_not_told": share,
            }
        )
    return out
