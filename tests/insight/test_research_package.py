"""The research data package on the demo city: a valid Frictionless package, nothing small, nothing a
reader can work out — not from one table, not from the three together, not with the open data the
API serves for the same quarter — from the command line and, for anyone, from the open-data page."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone
from scipy.optimize import linprog

from streetlight.cli import main
from streetlight.demo.seed import seed_reports
from streetlight.insight import research
from streetlight.insight.data import BadFilter, Filters
from streetlight.insight.open_data import quarter_bounds, quarters_available
from streetlight.insight.research import audit, records
from streetlight.insight.research.tables import BY_CATEGORY, BY_DAY_NIGHT, NOT_TOLD, Layout
from streetlight.reports.models import Area, Category, Report
from streetlight.toolkit.privacy import added_by, bridges
from tests.staff import member, signed_in

frictionless = pytest.importorskip("frictionless")
pytestmark = pytest.mark.django_db
K = 10
TABLES = (BY_CATEGORY, BY_DAY_NIGHT, NOT_TOLD)


@pytest.fixture
def city() -> int:
    return seed_reports(n=1500, seed=9)


@pytest.fixture
def window(city: int) -> tuple[date, date]:
    return quarter_bounds(quarters_available(count=1)[0])


@pytest.fixture
def written(window: tuple[date, date], tmp_path: Path) -> Path:
    package = research.research_package(since=window[0], until=window[1])
    research.write_package(package, tmp_path / "pkg")
    return tmp_path / "pkg"


@pytest.fixture
def cache_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data" / "research"


def read(path: Path) -> list[dict[str, Any]]:
    """A table as a reader gets it: counts as numbers, hidden ones None."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = ("count", "crime_reports", "told_police", "not_told_police")
    return [{k: (None if v == "" else int(v)) if k in counts else v for k, v in r.items()} for r in rows]


def augmented(rows: list[dict[str, Any]], row_dims: list[str], col_dims: list[str], value: str = "count") -> np.ndarray:
    """One quarter's published augmented table (margins last) from long rows: NaN where hidden."""

    def key(r: dict[str, Any], dims: list[str]) -> tuple[str, ...]:
        return tuple(r[d] for d in dims)

    total_r, total_c = ("total",) * len(row_dims), ("total",) * len(col_dims)
    rkeys = [*sorted({key(r, row_dims) for r in rows} - {total_r}), total_r]
    ckeys = [*sorted({key(r, col_dims) for r in rows} - {total_c}), total_c]
    values = np.full((len(rkeys), len(ckeys)), np.nan)
    for r in rows:
        values[rkeys.index(key(r, row_dims)), ckeys.index(key(r, col_dims))] = np.nan if r[value] is None else r[value]
    return values


def derivable(released: np.ndarray) -> list[tuple[int, ...]]:
    """Hidden cells whose least and greatest values, given every published row and column sum and
    counts ≥ 0, coincide (the LP check of tests/toolkit/test_privacy.py)."""
    hidden = np.isnan(released)
    cells = np.argwhere(hidden)
    index = {tuple(c): i for i, c in enumerate(cells.tolist())}
    m, n = released.shape
    a_eq, b_eq = [], []
    for line in [[(i, j) for j in range(n)] for i in range(m)] + [[(i, j) for i in range(m)] for j in range(n)]:
        coef, b = np.zeros(len(cells)), 0.0
        for pos, cell in enumerate(line):
            sign = -1.0 if pos == len(line) - 1 else 1.0
            if cell in index:
                coef[index[cell]] += sign
            else:
                b -= sign * released[cell]
        a_eq.append(coef)
        b_eq.append(b)
    found = []
    for i, hidden_cell in enumerate(cells.tolist()):
        c = np.zeros(len(cells))
        c[i] = 1.0
        lo = linprog(c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        assert lo.status == 0
        if hi.status == 0 and -hi.fun - lo.fun < 1e-7:
            found.append(tuple(hidden_cell))
    return found


def test_frictionless_validates_the_written_package(written: Path) -> None:
    report = frictionless.validate(str(written / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads((written / "datapackage.json").read_text())
    assert meta["profile"] == "tabular-data-package" and meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert meta["streetlight"]["min_count"] == K and meta["sources"]
    assert {r["path"] for r in meta["resources"]} == {f"data/{t}.csv" for t in TABLES}
    for resource in meta["resources"]:
        assert resource["schema"]["primaryKey"][0] == "quarter" and resource["schema"]["missingValues"] == [""]
        assert all(f.get("description") for f in resource["schema"]["fields"])
    audited = meta["streetlight"]["cross_table_audit"]
    assert audited["recoverable"] == 0 and audited["counts_checked"] > audited["hidden_checked"] > 0
    sheet = (written / "datasheet.md").read_text()
    for heading in ("Motivation", "Composition", "Collection process", "Preprocessing", "Cross-table audit",
                    "Uses and misuses", "Gaps and biases", "Distribution", "Maintenance"):  # fmt: skip
        assert f"## {heading}" in sheet
    assert "no hidden count can be worked out" in sheet and f"{audited['counts_checked']} counts were checked" in sheet
    assert "synthetic" in sheet  # the seeded reports are the demo generator's


@pytest.mark.parametrize(
    ("name", "rows", "cols"),
    [(BY_CATEGORY, ["area", "month"], ["category"]), (BY_DAY_NIGHT, ["area", "month"], ["day_night", "kind"])],
)
def test_no_count_under_k_and_no_table_gives_a_hidden_count_away_alone(
    written: Path, name: str, rows: list[str], cols: list[str]
) -> None:
    data = read(written / f"data/{name}.csv")
    published = np.array([r["count"] for r in data if r["count"] is not None])
    assert published.size and not ((published > 0) & (published < K)).any()
    released = augmented(data, rows, cols)
    hidden = np.isnan(released)
    assert hidden.any(), "a quarter of 1500 reports per month and district must have small counts"
    assert not bridges(hidden).any()
    assert derivable(released) == []


def test_the_police_share_table_hides_small_counts_and_only_shares_published_counts(written: Path) -> None:
    data = read(written / f"data/{NOT_TOLD}.csv")
    assert data
    for r in data:
        for column in ("crime_reports", "told_police", "not_told_police"):
            assert r[column] is None or r[column] == 0 or r[column] >= K
        if r["share_not_told"]:
            assert r["crime_reports"] and r["not_told_police"] is not None
            assert abs(float(r["share_not_told"]) - r["not_told_police"] / r["crime_reports"]) < 1e-3
    long = [
        {"area": r["area"], "police": p, "count": r[c]}
        for r in data
        for p, c in (("not_told", "not_told_police"), ("told", "told_police"), ("total", "crime_reports"))
    ]
    assert derivable(augmented(long, ["area"], ["police"])) == []


def test_the_three_tables_and_the_open_data_together_give_no_hidden_count_away(
    client: Client, written: Path, window: tuple[date, date]
) -> None:
    """The cross-table audit, from the files as written and the open data as the API serves it."""
    quarter = quarters_available(count=1)[0]
    served = client.get(f"/api/v1/open-data/reports-by-area?quarter={quarter}&format=csv").content.decode()
    open_rows = [
        {**r, "count": None if r["count"] == "" else int(r["count"])} for r in csv.DictReader(io.StringIO(served))
    ]
    cat = records.catalogue()
    layout = Layout.of(quarter, cat)
    counted = records.load_records(window[0], window[1], cat.districts)
    domains, combinations = audit.model(cat, layout, counted)
    fixed = audit.open_data_cells(layout, domains, open_rows)
    tables = {name: read(written / f"data/{name}.csv") for name in TABLES}
    published = audit.package_cells(layout, tables)
    assert sum(c.hidden for c in published) > 100
    assert added_by(published, fixed, domains=domains, combinations=combinations) == []


def test_sensitive_categories_appear_only_per_district_and_no_position_anywhere(written: Path) -> None:
    districts = set(Area.objects.filter(level="district").values_list("code", flat=True))
    sensitive = set(Category.objects.filter(parent__isnull=True, sensitive=True).values_list("code", flat=True))
    mains = set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert sensitive
    data = read(written / f"data/{BY_CATEGORY}.csv")
    assert {r["category"] for r in data} == mains | {"total"}  # main categories only, never a sub-category
    assert {r["area"] for r in data if r["category"] in sensitive} <= districts | {"total"}
    for path in (written / "data").glob("*.csv"):
        header = next(csv.reader(path.open(encoding="utf-8")))
        assert not {"lat", "lon", "cell", "point", "description", "id", "sub_category"} & set(header)
        assert {r["area"] for r in read(path)} <= districts | {"total"}


def test_a_neighbourhood_report_counts_in_its_district(window: tuple[date, date]) -> None:
    district = Area.objects.filter(level="district").first()
    assert district is not None
    hood = Area.objects.create(code="hood-x", name="Hood", level="neighbourhood", parent=district, geometry={})
    assert research.districts()[hood.code] == district.code


def test_the_cli_writes_the_package_and_the_zip(window: tuple[date, date], tmp_path: Path) -> None:
    out = tmp_path / "research"
    code = main(["export", "research", "--from", str(window[0]), "--to", str(window[1]), "--out", str(out), "--zip"])
    assert code == 0
    assert {p.name for p in out.rglob("*") if p.is_file()} >= {"datapackage.json", "datasheet.md"}
    assert len(list((out / "data").glob("*.csv"))) == 3
    with zipfile.ZipFile(tmp_path / "research.zip") as archive:
        assert "research/datapackage.json" in archive.namelist()
    assert frictionless.validate(str(out / "datapackage.json")).valid


def test_several_quarters_are_suppressed_and_audited_one_by_one(city: int) -> None:
    """Quarters hold different reports: each has its own totals, and nothing sums across them."""
    latest, previous = quarters_available(count=2)
    package = research.research_package(since=quarter_bounds(previous)[0], until=quarter_bounds(latest)[1])
    assert package.audit is not None and package.audit.quarters == [previous, latest] and package.audit.clean
    for table in package.tables:
        assert {r["quarter"] for r in table.rows} == {previous, latest}
        totals = [r for r in table.rows if r["area"] == "total"]
        assert {r["quarter"] for r in totals} == {previous, latest}


@pytest.mark.parametrize(
    ("since", "until", "needle"),
    [
        ("2026-13-01", "2026-12-31", "--from"),
        ("2026-02-01", "yesterday", "--to"),
        ("2026-03-01", "2026-02-01", "--from"),
        ("2019-01-01", "2025-01-01", "--from"),  # more than three years
        ("2025-01-15", "2025-03-31", "--from"),  # not the first day of a quarter
        ("2025-01-01", "2025-02-28", "--to"),  # not the last day of a quarter
    ],
)
def test_the_cli_refuses_bad_windows_with_exit_2(
    since: str, until: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "research", "--from", since, "--to", until, "--out", str(tmp_path / "x")]) == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_cli_refuses_an_unfinished_period_and_a_period_without_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = timezone.localdate()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = date(first.year + (first.month == 10), 1 if first.month == 10 else first.month + 3, 1) - timedelta(days=1)
    assert main(["export", "research", "--from", str(first), "--to", str(last), "--out", str(tmp_path)]) == 2
    assert "--to" in capsys.readouterr().err
    assert main(["export", "research", "--from", "2001-01-01", "--to", "2001-03-31", "--out", str(tmp_path / "y")]) == 2
    assert "No report" in capsys.readouterr().err
    with pytest.raises(research.NoData):
        research.research_package(since=date(2001, 1, 1), until=date(2001, 3, 31))


def test_a_window_is_checked_before_any_query() -> None:
    with pytest.raises(BadFilter) as exc:
        research.check_window(date(2026, 4, 1), date(2026, 3, 31))
    assert "from" in exc.value.errors


# --- the download ----------------------------------------------------------------------------------


@pytest.fixture
def analyst() -> Client:
    return signed_in(member("police", "analyst"))


def unzip(content: bytes, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(target)
    (descriptor,) = target.glob("*/datapackage.json")
    return descriptor


def test_anyone_finds_the_package_on_the_open_data_page_and_gets_a_valid_zip(
    client: Client, window: tuple[date, date], cache_dir: Path, tmp_path: Path
) -> None:
    page = client.get("/open-data/").content.decode()
    link = f"/open-data/research.zip?from={window[0]}&amp;to={window[1]}"
    assert link in page
    for words in ("datasheet", "CC BY 4.0", "Frictionless"):
        assert words in page
    resp = client.get(link.replace("&amp;", "&"))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert f'filename="streetlight-research-{window[0]:%Y%m%d}-{window[1]:%Y%m%d}.zip"' in resp["Content-Disposition"]
    assert frictionless.validate(str(unzip(resp.content, tmp_path))).valid


def test_the_analysts_page_links_the_package_too(analyst: Client, window: tuple[date, date], cache_dir: Path) -> None:
    page = analyst.get("/insight/").content.decode()
    link = f"/open-data/research.zip?from={window[0]}&amp;to={window[1]}"
    assert link in page
    assert analyst.get(link.replace("&amp;", "&")).status_code == 200


def test_a_package_is_built_once_per_quarter_and_again_only_when_its_reports_change(
    client: Client, window: tuple[date, date], cache_dir: Path
) -> None:
    url = f"/open-data/research.zip?from={window[0]}&to={window[1]}"
    first = client.get(url)
    (made,) = cache_dir.glob("*.zip")
    stamp = made.stat().st_mtime_ns
    second = client.get(url)
    assert second.content == first.content and made.stat().st_mtime_ns == stamp  # served from disk, not rebuilt
    period = Filters(since=window[0], until=window[1])
    counted = Report.objects.filter(created_at__gte=period.start, created_at__lt=period.end, public_statistics=True)
    counted.filter(pk__in=counted.order_by("pk").values_list("pk", flat=True)[:1]).update(public_statistics=False)
    third = client.get(url)
    (remade,) = cache_dir.glob("*.zip")
    assert remade != made and third.content != first.content  # one report fewer: a new version, the old one gone


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "from"),
        ("from=2026-04-01", "to"),
        ("from=soon&to=2026-06-30", "from"),
        ("from=2026-04-02&to=2026-06-30", "from"),  # not the first day of a quarter
        ("from=2026-01-01&to=2026-06-30", "to"),  # two quarters: one granularity only
        ("from=2026-06-30&to=2026-04-01", "from"),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "analyst"])
def test_the_download_refuses_bad_parameters_naming_them(client: Client, who: str, query: str, field: str) -> None:
    caller = signed_in(member("police", "analyst")) if who == "analyst" else client
    resp = caller.get(f"/open-data/research.zip?{query}")
    assert resp.status_code == 400
    assert field in resp.json()["errors"]


def test_the_public_gets_only_the_listed_quarters_and_analysts_any_finished_one(
    client: Client, analyst: Client, cache_dir: Path
) -> None:
    oldest = quarters_available()[-1]
    since = quarter_bounds(oldest)[0]
    before = date(since.year - (since.month == 1), 10 if since.month == 1 else since.month - 3, 1)
    until = since - timedelta(days=1)
    url = f"/open-data/research.zip?from={before}&to={until}"
    resp = client.get(url)
    assert resp.status_code == 400 and "from" in resp.json()["errors"]
    assert not cache_dir.exists()  # nothing was built for a period the public chose
    assert analyst.get(url).status_code == 404  # finished, and no report that long ago
    assert signed_in(member("police", "operator")).get(url).status_code == 400  # not an analyst: public rules


def test_the_download_refuses_the_current_quarter_and_answers_404_when_empty(analyst: Client) -> None:
    today = timezone.localdate()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = date(first.year + (first.month == 10), 1 if first.month == 10 else first.month + 3, 1) - timedelta(days=1)
    resp = analyst.get(f"/open-data/research.zip?from={first}&to={last}")
    assert resp.status_code == 400 and "to" in resp.json()["errors"]
    resp = analyst.get("/open-data/research.zip?from=2001-01-01&to=2001-03-31")
    assert resp.status_code == 404 and "from" in resp.json()["errors"]
