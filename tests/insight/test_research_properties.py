"""The research package on random cities: whatever the reports, no published count is under k, the
audit finds nothing the package and the open data give away together — read back from the CSV files
as written — and sensitive categories follow the open data's rules. No database: the records and the
open data's table are made here, the latter by the same code path as `open_data.by_area`."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streetlight.insight.research import audit, files
from streetlight.insight.research.package import ResearchPackage, build
from streetlight.insight.research.records import PLACES, Catalogue, Records
from streetlight.insight.research.tables import BY_CATEGORY, Layout
from streetlight.toolkit.geo.aggregate import aggregate
from streetlight.toolkit.privacy import added_by, recoverable_cells, suppress_aggregate

K = 10
QUARTER, SINCE, UNTIL = "2025-Q2", date(2025, 4, 1), date(2025, 6, 30)
MONTHS = ["2025-04", "2025-05", "2025-06"]
# Two districts with a neighbourhood each (reports may be placed in either), one without.
AREAS = {"D1": "D1", "N1": "D1", "D2": "D2", "N2": "D2", "D3": "D3"}
MAIN_KINDS = {
    "hate": {"crime"},  # sensitive
    "harassment": {"crime", "incident"},  # sensitive
    "theft": {"crime"},
    "nuisance": {"incident"},
    "unsafe": {"feeling"},
    "cyber-business": {"cyber"},
}
SENSITIVE = {"hate", "harassment"}
SUB_CATEGORIES = {"hate-verbal", "hate-physical", "harassment-street", "theft-bike"}
CATALOGUE = Catalogue(
    districts=AREAS,
    mains=sorted(MAIN_KINDS),
    kinds=["crime", "incident", "feeling", "cyber"],
    category_kinds={(c, k) for c, kinds in MAIN_KINDS.items() for k in kinds},
)


@st.composite
def cities(draw: st.DrawFn) -> Records:
    """A quarter of reports, skewed so that small counts abound (numpy seeded by hypothesis)."""
    n = draw(st.integers(1, 500))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    skew = draw(st.floats(0.2, 3.0))

    def pick(values: list[Any], size: int = n) -> np.ndarray:
        return np.array(values, dtype=object)[
            rng.choice(len(values), size, p=rng.dirichlet(np.full(len(values), skew)))
        ]

    area, main = pick(list(AREAS)), pick(sorted(MAIN_KINDS))
    kind = np.array([sorted(MAIN_KINDS[m])[rng.integers(len(MAIN_KINDS[m]))] for m in main], dtype=object)
    return Records(
        area=area,
        district=np.array([AREAS[a] for a in area], dtype=object),
        month=pick(MONTHS),
        main=main,
        kind=kind,
        place=pick(list(PLACES)),
        police=rng.random(n) < draw(st.floats(0, 1)),
        synthetic=0,
    )


def open_data_rows(records: Records) -> Any:
    """What `open_data.by_area` publishes for these reports: the same aggregate and suppression."""

    def rows(quarter: str) -> list[dict[str, Any]]:
        n = len(records)
        agg = aggregate(np.zeros(n), np.zeros(n), np.zeros(n, dtype="datetime64[s]"), categories=records.main,
                        areas=records.area, by=("area", "category"))  # fmt: skip
        return suppress_aggregate(agg, rows=("area",), cols=("category",), k=K).to_rows()

    return rows


def written(package: ResearchPackage) -> dict[str, list[dict[str, Any]]]:
    """The tables as a reader gets them: parsed back from the CSV text (empty = hidden)."""
    meta = files.descriptor(package)
    out = {}
    for resource in meta["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        text = files.csv_text(package.table(resource["name"]), names)
        rows = list(csv.DictReader(io.StringIO(text)))
        counts = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "integer"}
        out[resource["name"]] = [
            {k: (None if v == "" else int(v)) if k in counts else v for k, v in r.items()} for r in rows
        ]
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cities())
def test_no_count_under_k_nothing_recoverable_and_sensitive_categories_per_district(records: Records) -> None:
    package = build(SINCE, UNTIL, K, CATALOGUE, records, open_data_rows=open_data_rows(records))
    tables = written(package)

    # 1. no published count from 1 to k-1, in any table
    for name, rows in tables.items():
        for row in rows:
            for column in ("count", "crime_reports", "told_police", "not_told_police"):
                value = row.get(column)
                assert value is None or value == 0 or value >= K, (name, row)

    # 2. the audit finds nothing the package adds to what the open data alone gives, from the files as written
    layout = Layout.of(QUARTER, CATALOGUE)
    domains, combinations = audit.model(CATALOGUE, layout, records)
    fixed = audit.open_data_cells(layout, domains, open_data_rows(records)(QUARTER))
    published = audit.package_cells(layout, tables)
    assert added_by(published, fixed, domains=domains, combinations=combinations, explain=False) == []
    assert package.audit is not None and package.audit.clean

    # 3. the open data's rules: main categories only, per district only, never a position
    districts = set(AREAS.values())
    for name, rows in tables.items():
        assert {r["area"] for r in rows} <= districts | {"total"}, name
        assert not {"lat", "lon", "cell", "point", "description", "id", "sub_category"} & set(rows[0])
    categories = {r["category"] for r in tables[BY_CATEGORY]}
    assert categories == set(MAIN_KINDS) | {"total"} and not categories & SUB_CATEGORIES
    assert {r["area"] for r in tables[BY_CATEGORY] if r["category"] in SENSITIVE} <= districts | {"total"}


def test_each_table_suppressed_alone_would_give_a_small_count_away() -> None:
    """Why the tables are suppressed together: in this city, each table suppressed on its own (as
    the first package was) lets the open data's quarter give back a month under k."""
    rng = np.random.default_rng(4)
    n = 400
    main = np.array(sorted(MAIN_KINDS), dtype=object)[rng.integers(0, 6, n)]
    area = np.array(list(AREAS), dtype=object)[rng.integers(0, 5, n)]
    records = Records(area=area, district=np.array([AREAS[a] for a in area], dtype=object),
                      month=np.array(MONTHS, dtype=object)[rng.integers(0, 3, n)], main=main,
                      kind=np.array([sorted(MAIN_KINDS[m])[0] for m in main], dtype=object),
                      place=np.array(PLACES, dtype=object)[rng.integers(0, 2, n)], police=rng.random(n) < 0.5,
                      synthetic=0)  # fmt: skip
    from streetlight.insight.research import tables as research_tables
    from streetlight.toolkit.privacy import suppress

    layout = Layout.of(QUARTER, CATALOGUE)
    domains, combinations = audit.model(CATALOGUE, layout, records)
    fixed = audit.open_data_cells(layout, domains, open_data_rows(records)(QUARTER))
    alone = [
        c for t in research_tables.linked_tables(records, CATALOGUE, layout) for c in t.cells(suppress(t.values, k=K))
    ]
    found = recoverable_cells([*fixed, *alone], domains=domains, combinations=combinations)
    assert any(0 < f.value < K for f in found), "this city was chosen because suppressing alone leaks"
    for f in found:
        assert f.uses, audit.describe(f)
    together = build(SINCE, UNTIL, K, CATALOGUE, records, open_data_rows=open_data_rows(records))
    assert together.audit is not None and together.audit.clean and together.audit.linked > 0
