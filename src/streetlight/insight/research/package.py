"""Building a research package: per quarter, the three tables suppressed together, against the
open data of the same quarter, then audited as written."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.toolkit.privacy import Recovered, suppress_together

from ..data import BadFilter
from ..selectors import min_count
from . import audit, tables
from .records import Catalogue, Records, catalogue, load_records
from .tables import BY_CATEGORY, BY_DAY_NIGHT, NOT_TOLD, Layout
from .window import check_window, quarter_months, quarters_between


class NoData(BadFilter):
    """The window holds no report that may be counted."""


@dataclass(frozen=True)
class Table:
    name: str
    rows: list[dict[str, Any]]

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    @property
    def hidden(self) -> int:
        """Hidden counts, margins included (the share column is not a count)."""
        counts = ("count", "crime_reports", "told_police", "not_told_police")
        return sum(1 for r in self.rows for c in counts if c in r and r[c] is None)


@dataclass(frozen=True)
class ResearchPackage:
    since: date
    until: date
    k: int
    generated: datetime
    reports: int  # reports counted (allowed statistics, received in the window, with an area)
    synthetic: int  # of which generated demo reports
    districts: list[str]
    tables: list[Table] = field(default_factory=list)
    audit: audit.AuditResult | None = None

    @property
    def name(self) -> str:
        return f"streetlight-research-{self.since:%Y%m%d}-{self.until:%Y%m%d}"

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def version() -> str:
    try:
        return metadata.version("streetlight")
    except metadata.PackageNotFoundError:
        return "unknown"


def research_package(*, since: date, until: date, records: Records | None = None) -> ResearchPackage:
    """The package for [since, until] (whole quarters that are over, by date received).

    BadFilter naming the field for a bad window; NoData when no report of it may be counted;
    RuntimeError if the final audit finds a hidden count that can be worked out (never published).
    """
    check_window(since, until)
    cat = catalogue()
    if records is None:
        records = load_records(since, until, cat.districts)
    require(records)
    return build(since, until, min_count(), cat, records)


def require(records: Records) -> None:
    """NoData (naming `from`) when the window holds no report that may be counted."""
    if not len(records):
        raise NoData({"from": _("No report may be counted between these dates.")})


def build(
    since: date,
    until: date,
    k: int,
    cat: Catalogue,
    records: Records,
    open_data_rows: Callable[[str], Sequence[Mapping[str, Any]]] = audit.open_data_rows,
) -> ResearchPackage:
    """Suppress each quarter's tables together, with `open_data_rows(quarter)` (what the open data
    publishes for it) fixed, then audit the rows as they will be written."""
    rows: dict[str, list[dict[str, Any]]] = {BY_CATEGORY: [], BY_DAY_NIGHT: [], NOT_TOLD: []}
    checked = hidden = linked = already_public = given = 0
    quarters = quarters_between(since, until)
    found: list[Recovered] = []
    for quarter in quarters:
        layout = Layout.of(quarter, cat)
        part = records.where(np.isin(records.month.astype(str), quarter_months(quarter)))
        domains, combinations = audit.model(cat, layout, part)
        fixed = audit.open_data_cells(layout, domains, open_data_rows(quarter))
        linked_tables = tables.linked_tables(part, cat, layout)
        release = suppress_together(linked_tables, domains=domains, combinations=combinations, fixed=fixed, k=k)
        by_category, by_day_night, not_told = release.tables
        quarter_rows = {
            BY_CATEGORY: tables.category_rows(layout, linked_tables[0], by_category),
            BY_DAY_NIGHT: tables.day_night_rows(layout, linked_tables[1], by_day_night),
            NOT_TOLD: tables.not_told_rows(layout, not_told),
        }
        for name, new in quarter_rows.items():
            rows[name].extend(new)
        n, h, recovered, g = audit.audit_quarter(layout, quarter_rows, domains, combinations, fixed)
        checked, hidden, found, given = checked + n, hidden + h, found + recovered, given + g
        linked, already_public = linked + release.linked, already_public + release.already_public
    if found:
        raise RuntimeError("the audit found hidden counts that can be worked out: " + audit.describe(found[0]))
    result = audit.AuditResult(quarters, checked, hidden, found, linked, already_public, given)
    return ResearchPackage(
        since=since,
        until=until,
        k=k,
        generated=timezone.now(),
        reports=len(records),
        synthetic=records.synthetic,
        districts=cat.district_codes,
        tables=[Table(name, table_rows) for name, table_rows in rows.items()],
        audit=result,
    )
