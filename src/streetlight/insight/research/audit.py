"""The cross-table audit: everything published about a quarter's reports, as one system of counts.

What is checked, per quarter: every count of the package's three tables — read back from the rows
as they are written — and every count of the open data's reports per area and main category for
the same quarter (`open_data.by_area`, exactly as the API serves it). Each count is a group of
records: area (a district is its areas), month, main category, kind, day / night / no point, told
the police or not. A reader is assumed to know the public catalogue (the kinds each main category
can have) and that counts are never negative; `toolkit.privacy.recoverable_cells` then finds every
hidden count some combination of published ones pins down.

Not part of it: the differentially private table (its counts are noisy, none is exact), and the
transparency page (other reports — all received, whatever the consent — over a rolling year).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from streetlight.toolkit.privacy import Cell, Recovered, added_by, recoverable_cells

from .. import open_data
from .records import PLACES, Catalogue, Records
from .tables import BY_CATEGORY, BY_DAY_NIGHT, DAY_NIGHT, NOT_TOLD, TOTAL, Layout

OPEN_DATA = "open-data reports-by-area"

Model = tuple[dict[str, list[Any]], dict[tuple[str, ...], set[tuple[Any, ...]]]]


@dataclass(frozen=True)
class AuditResult:
    quarters: list[str]
    counts: int  # counts checked, the open data's included
    hidden: int
    recovered: list[Recovered] = field(default_factory=list)
    linked: int = 0  # counts the joint suppression hid only because of another table
    already_public: int = 0  # counts the open data gives away, published as they are
    given_away: int = 0  # hidden counts under k that the open data alone gives away (sums of its own)

    @property
    def clean(self) -> bool:
        return not self.recovered


def model(catalogue: Catalogue, layout: Layout, records: Records) -> Model:
    """The dimensions' values and the category–kind pairs the catalogue (or the data) allows."""
    domains: dict[str, list[Any]] = {
        "area": sorted(set(catalogue.districts) | set(records.area.tolist())),
        "month": list(layout.months),
        "category": sorted(set(catalogue.mains) | set(records.main.tolist())),
        "kind": sorted(set(catalogue.kinds) | set(records.kind.tolist())),
        "place": list(PLACES),
        "police": [True, False],
    }
    pairs = set(catalogue.category_kinds) | set(zip(records.main.tolist(), records.kind.tolist(), strict=True))
    return domains, {("category", "kind"): pairs}


def open_data_rows(quarter: str) -> list[dict[str, Any]]:
    """The open data's reports per area and main category of the quarter, as the API serves them."""
    return open_data.by_area(quarter).rows


def open_data_cells(
    layout: Layout, domains: Mapping[str, Sequence[Any]], rows: Sequence[Mapping[str, Any]]
) -> list[Cell]:
    """The open data's table for the quarter, and a published 0 for every area × category it leaves
    out (it lists every pair that has a report, so a reader knows the others are empty)."""
    if not rows:
        return []
    quarter = {"month": frozenset(layout.months)}
    cells = []
    listed = set()
    for row in rows:
        area, category = str(row["area"]), str(row["category"])
        listed.add((area, category))
        where = {**quarter, **_only("area", area), **_only("category", category)}
        cells.append(Cell(OPEN_DATA, (layout.quarter, area, category), where, row["count"]))
    for area in domains["area"]:
        for category in domains["category"]:
            if (area, category) not in listed:
                zero = {**quarter, "area": frozenset({area}), "category": frozenset({category})}
                cells.append(Cell(OPEN_DATA, (layout.quarter, area, category), zero, 0))
    return cells


def _only(dim: str, value: str) -> dict[str, frozenset[str]]:
    return {} if value == TOTAL else {dim: frozenset({value})}


def package_cells(layout: Layout, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Cell]:
    """The quarter's counts as published: one cell per count of each table's rows."""
    q = layout.quarter
    months = frozenset(layout.months)

    def area(value: str) -> dict[str, frozenset[str]]:
        return {} if value == TOTAL else {"area": layout.areas[value]}

    def month(value: str) -> dict[str, frozenset[str]]:
        return {"month": months if value == TOTAL else frozenset({value})}

    cells = []
    for r in tables.get(BY_CATEGORY, ()):
        if r["quarter"] == q:
            where = {**area(r["area"]), **month(r["month"]), **_only("category", r["category"])}
            cells.append(Cell(BY_CATEGORY, (q, r["area"], r["month"], r["category"]), where, r["count"]))
    for r in tables.get(BY_DAY_NIGHT, ()):
        if r["quarter"] == q:
            place = frozenset(DAY_NIGHT) if r["day_night"] == TOTAL else frozenset({r["day_night"]})
            where = {**area(r["area"]), **month(r["month"]), "place": place, **_only("kind", r["kind"])}
            label = (q, r["area"], r["month"], r["day_night"], r["kind"])
            cells.append(Cell(BY_DAY_NIGHT, label, where, r["count"]))
    for r in tables.get(NOT_TOLD, ()):
        if r["quarter"] == q:
            for column, police in (("crime_reports", None), ("told_police", True), ("not_told_police", False)):
                crime: dict[str, frozenset[Any]] = {**area(r["area"]), **month(TOTAL), "kind": frozenset({"crime"})}
                if police is not None:
                    crime["police"] = frozenset({police})
                cells.append(Cell(NOT_TOLD, (q, r["area"], column), crime, r[column]))
    return cells


def audit_quarter(
    layout: Layout,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    domains: Mapping[str, Sequence[Any]],
    combinations: Mapping[tuple[str, ...], Collection[tuple[Any, ...]]],
    fixed: Sequence[Cell],
) -> tuple[int, int, list[Recovered], int]:
    """(counts checked, hidden, what the package gives away, package counts the open data alone
    gives away). The third must be empty; the last are hidden in the package all the same."""
    new = package_cells(layout, tables)
    found = added_by(new, fixed, domains=domains, combinations=combinations)
    blank = [Cell(c.table, c.label, c.where, None) for c in new]
    before = recoverable_cells([*fixed, *blank], domains=domains, combinations=combinations, explain=False)
    ours = {id(c) for c in blank}
    given = sum(1 for r in before if id(r.cell) in ours and new[blank.index(r.cell)].hidden)
    cells = len(fixed) + len(new)
    return cells, sum(c.hidden for c in [*fixed, *new]), found, given


def describe(recovered: Recovered) -> str:
    """One finding in words: "cell = a − b − c (value)"."""
    parts = []
    for cell, weight in recovered.uses:
        sign = "+" if weight > 0 else "−"
        times = "" if abs(abs(weight) - 1) < 1e-9 else f"{abs(weight):g}×"
        parts.append(f"{sign} {times}{_name(cell)} ({cell.value})")
    formula = " ".join(parts).lstrip("+ ") or "0"
    return f"{_name(recovered.cell)} = {formula} = {recovered.value}"


def _name(cell: Cell) -> str:
    return f"{cell.table}[{', '.join(str(x) for x in cell.label)}]"
