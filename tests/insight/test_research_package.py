"""The research data package: a valid Frictionless package of suppressed counts, from the CLI and the
open-data page, with nothing small, nothing derivable and sensitive categories per district only."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone
from scipy.optimize import linprog

from streetlight.cli import main
from streetlight.demo.seed import seed_reports
from streetlight.insight import research
from streetlight.insight.data import BadFilter
from streetlight.insight.open_data import quarter_bounds, quarters_available
from streetlight.reports.models import Area, Category
from streetlight.toolkit.privacy import bridges
from tests.staff import member, signed_in

frictionless = pytest.importorskip("frictionless")
pytestmark = pytest.mark.django_db
K = 10


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


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def augmented(rows: list[dict[str, str]], row_dims: list[str], col_dims: list[str], value: str = "count"):
    """Rebuild the published augmented table (margins last) from long rows: NaN where hidden."""

    def key(r: dict[str, str], dims: list[str]) -> tuple[str, ...]:
        return tuple(r[d] for d in dims)

    total_r, total_c = ("total",) * len(row_dims), ("total",) * len(col_dims)
    rkeys = [*sorted({key(r, row_dims) for r in rows} - {total_r}), total_r]
    ckeys = [*sorted({key(r, col_dims) for r in rows} - {total_c}), total_c]
    values = np.full((len(rkeys), len(ckeys)), np.nan)
    for r in rows:
        values[rkeys.index(key(r, row_dims)), ckeys.index(key(r, col_dims))] = (
            np.nan if r[value] == "" else int(r[value])
        )
    return values


def derivable(released: np.ndarray) -> list[tuple[int, int]]:
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
    for i, cell in enumerate(cells.tolist()):
        c = np.zeros(len(cells))
        c[i] = 1.0
        lo = linprog(c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
        assert lo.status == 0
        if hi.status == 0 and -hi.fun - lo.fun < 1e-7:
            found.append(tuple(cell))
    return found


def test_frictionless_validates_the_written_package(written: Path) -> None:
    report = frictionless.validate(str(written / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads((written / "datapackage.json").read_text())
    assert meta["profile"] == "tabular-data-package" and meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert meta["streetlight"]["min_count"] == K and meta["sources"]
    assert {r["path"] for r in meta["resources"]} == {f"data/{t}.csv" for t in (
        "reports-by-area-month-category", "reports-by-area-month-daynight-kind", "crime-not-told-police-by-area-quarter"
    )}  # fmt: skip
    for resource in meta["resources"]:
        assert resource["schema"]["primaryKey"] and resource["schema"]["missingValues"] == [""]
        assert all(f.get("description") for f in resource["schema"]["fields"])
    sheet = (written / "datasheet.md").read_text()
    for heading in ("Motivation", "Composition", "Collection process", "Preprocessing", "Uses and misuses",
                    "Gaps and biases", "Distribution", "Maintenance"):  # fmt: skip
        assert f"## {heading}" in sheet
    assert "synthetic" in sheet  # the seeded reports are the demo generator's


@pytest.mark.parametrize(
    ("name", "rows", "cols", "value"),
    [
        ("reports-by-area-month-category", ["area", "month"], ["category"], "count"),
        ("reports-by-area-month-daynight-kind", ["area", "month"], ["day_night", "kind"], "count"),
    ],
)
def test_no_count_under_k_and_no_hidden_count_can_be_worked_out(
    written: Path, name: str, rows: list[str], cols: list[str], value: str
) -> None:
    data = read(written / f"data/{name}.csv")
    published = np.array([int(r[value]) for r in data if r[value] != ""])
    assert published.size and not ((published > 0) & (published < K)).any()
    released = augmented(data, rows, cols, value)
    hidden = np.isnan(released)
    assert hidden.any(), "a quarter of 1500 reports per month and district must have small counts"
    assert not ((hidden.sum(axis=1) == 1).any() or (hidden.sum(axis=0) == 1).any())
    assert not bridges(hidden).any()
    assert derivable(released) == []


def test_the_police_share_table_hides_small_counts_and_only_shares_published_counts(written: Path) -> None:
    data = read(written / "data/crime-not-told-police-by-area-quarter.csv")
    assert data
    for r in data:
        for column in ("crime_reports", "told_police", "not_told_police"):
            assert r[column] == "" or int(r[column]) == 0 or int(r[column]) >= K
        if r["share_not_told"]:
            assert r["crime_reports"] and r["not_told_police"]
            assert abs(float(r["share_not_told"]) - int(r["not_told_police"]) / int(r["crime_reports"])) < 1e-3
    long = [
        {"area": r["area"], "quarter": r["quarter"], "police": p, "count": r[c]}
        for r in data
        for p, c in (("not_told", "not_told_police"), ("told", "told_police"), ("total", "crime_reports"))
    ]
    released = augmented(long, ["area", "quarter"], ["police"])
    assert derivable(released) == []


def test_sensitive_categories_appear_only_per_district_and_no_position_anywhere(written: Path) -> None:
    districts = set(Area.objects.filter(level="district").values_list("code", flat=True))
    sensitive = set(Category.objects.filter(parent__isnull=True, sensitive=True).values_list("code", flat=True))
    assert sensitive
    data = read(written / "data/reports-by-area-month-category.csv")
    assert {r["category"] for r in data} & sensitive
    assert {r["area"] for r in data if r["category"] in sensitive} <= districts | {"total"}
    for path in (written / "data").glob("*.csv"):
        header = next(csv.reader(path.open(encoding="utf-8")))
        assert not {"lat", "lon", "cell", "point", "description", "id"} & set(header)


def test_a_neighbourhood_report_counts_in_its_district(window: tuple[date, date]) -> None:
    district = Area.objects.filter(level="district").first()
    assert district is not None
    hood = Area.objects.create(code="hood-x", name="Hood", level="neighbourhood", parent=district, geometry={})
    assert research._districts()[hood.code] == district.code


def test_the_cli_writes_the_package_and_the_zip(window: tuple[date, date], tmp_path: Path) -> None:
    out = tmp_path / "research"
    code = main(["export", "research", "--from", str(window[0]), "--to", str(window[1]), "--out", str(out), "--zip"])
    assert code == 0
    assert {p.name for p in out.rglob("*") if p.is_file()} >= {"datapackage.json", "datasheet.md"}
    assert len(list((out / "data").glob("*.csv"))) == 3
    with zipfile.ZipFile(tmp_path / "research.zip") as archive:
        assert "research/datapackage.json" in archive.namelist()
    assert frictionless.validate(str(out / "datapackage.json")).valid


@pytest.mark.parametrize(
    ("since", "until", "needle"),
    [
        ("2026-13-01", "2026-12-31", "--from"),
        ("2026-02-01", "yesterday", "--to"),
        ("2026-03-01", "2026-02-01", "--from"),
        ("2019-01-01", "2025-01-01", "--from"),  # more than three years
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
    assert (
        main(
            ["export", "research", "--from", str(today - timedelta(days=5)), "--to", str(today), "--out", str(tmp_path)]
        )
        == 2
    )
    assert "--to" in capsys.readouterr().err
    assert main(["export", "research", "--from", "2001-01-01", "--to", "2001-03-31", "--out", str(tmp_path / "y")]) == 2
    assert "No report" in capsys.readouterr().err
    with pytest.raises(research.NoData):
        research.research_package(since=date(2001, 1, 1), until=date(2001, 3, 31))


@pytest.fixture
def analyst() -> Client:
    return signed_in(member("police", "analyst"))


def test_the_analysts_page_links_the_package_and_the_zip_is_valid(
    analyst: Client, window: tuple[date, date], tmp_path: Path
) -> None:
    page = analyst.get("/insight/").content.decode()
    link = f"/open-data/research.zip?from={window[0]}&amp;to={window[1]}"
    assert link in page
    resp = analyst.get(link.replace("&amp;", "&"))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert "attachment" in resp["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
        archive.extractall(tmp_path)
    (descriptor,) = tmp_path.glob("*/datapackage.json")
    assert frictionless.validate(str(descriptor)).valid


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
def test_the_download_refuses_bad_parameters_naming_them(analyst: Client, query: str, field: str) -> None:
    resp = analyst.get(f"/open-data/research.zip?{query}")
    assert resp.status_code == 400
    assert field in resp.json()["errors"]


def test_the_package_is_not_public(client: Client, window: tuple[date, date]) -> None:
    """Each table is suppressed, but the three together are not proven safe from cross-table
    inference: the package goes to researchers through an analyst, not to everyone."""
    assert "research.zip" not in client.get("/open-data/").content.decode()
    resp = client.get(f"/open-data/research.zip?from={window[0]}&to={window[1]}")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert (
        signed_in(member("police", "operator"))
        .get(f"/open-data/research.zip?from={window[0]}&to={window[1]}")
        .status_code
        == 403
    )


def test_the_download_refuses_the_current_quarter_and_answers_404_when_empty(analyst: Client) -> None:
    client = analyst
    today = timezone.localdate()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = date(first.year + (first.month == 10), 1 if first.month == 10 else first.month + 3, 1) - timedelta(days=1)
    resp = client.get(f"/open-data/research.zip?from={first}&to={last}")
    assert resp.status_code == 400 and "to" in resp.json()["errors"]
    resp = client.get("/open-data/research.zip?from=2001-01-01&to=2001-03-31")
    assert resp.status_code == 404 and "from" in resp.json()["errors"]


def test_a_window_is_checked_before_any_query() -> None:
    with pytest.raises(BadFilter) as exc:
        research.check_window(date(2026, 5, 1), date(2026, 4, 1))
    assert "from" in exc.value.errors
