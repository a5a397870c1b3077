"""Police statistics beside residents' reports: the import is all or nothing unless asked, a month
imported again replaces itself, and the dashboard and the council report rank the under-reported."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from streetlight.insight.models import PoliceImport, RecordedCrime
from streetlight.insight.services import police_statistics_import
from streetlight.reports.models import Report
from streetlight.routing.services import report_route
from streetlight.toolkit.darknumber import ImportFailed

from .test_dashboard import member

pytestmark = pytest.mark.django_db
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)


def police_csv(path: Path, month: str, point: tuple[float, float], rows: list[str], *, outside: int = 0) -> Path:
    lat, lon = point
    lines = [HEADER]
    for i, crime_type in enumerate(rows):
        lines.append(f"id{i},{month},Force,Force,{lon:.6f},{lat:.6f},On or near a street,E0,Somewhere,{crime_type},,")
    for i in range(outside):
        lines.append(f"far{i},{month},Force,Force,-1.5,53.6,On or near elsewhere,E1,Elsewhere,Bicycle theft,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_a_file_with_crimes_outside_the_city_is_refused_whole_unless_asked(
    tmp_path: Path, city_point: tuple[float, float]
) -> None:
    path = police_csv(tmp_path / "m.csv", this_month(), city_point, ["Bicycle theft"] * 4, outside=2)
    with pytest.raises(ImportFailed) as refused:
        police_statistics_import(paths=[str(path)])
    assert "line 6" in str(refused.value) and "line 7" in str(refused.value)
    assert not RecordedCrime.objects.exists() and not PoliceImport.objects.exists()
    batch, result = police_statistics_import(paths=[str(path)], allow_partial=True)
    assert batch.crimes == 4 and batch.bad_rows == 2 and len(result.errors) == 2
    assert RecordedCrime.objects.get().count == 4


def test_importing_a_month_again_replaces_it(tmp_path: Path, city_point: tuple[float, float]) -> None:
    police_statistics_import(paths=[str(police_csv(tmp_path / "a.csv", this_month(), city_point, ["Burglary"] * 3))])
    police_statistics_import(paths=[str(police_csv(tmp_path / "b.csv", this_month(), city_point, ["Burglary"] * 5))])
    assert sum(RecordedCrime.objects.values_list("count", flat=True)) == 5


def test_the_dashboard_ranks_the_under_reported_and_the_report_shows_it(
    tmp_path: Path, city_point: tuple[float, float], client: Client, report_json: dict[str, Any]
) -> None:
    for police in (False, False, False, True):  # four bike thefts; three never reached the police
        cache.clear()
        body = {**report_json, "consent": {**report_json["consent"], "police": police, "city": not police}}
        reference = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()
        report = Report.objects.select_related("category__parent", "area").get(reference=reference["reference"])
        report_route(report=report)
    path = police_csv(tmp_path / "m.csv", this_month(), city_point, ["Bicycle theft"] * 2 + ["Burglary"] * 6)
    police_statistics_import(paths=[str(path)])
    today = timezone.localdate()
    query = f"from={today.replace(day=1):%Y-%m-%d}&to={today + timedelta(days=0):%Y-%m-%d}"
    analyst = member("analyst")
    page = analyst.get(f"/insight/?{query}").content.decode()
    table = page.split('id="dark-number"', 1)[1].split("</table>", 1)[0]
    bike = table.split("Bicycle theft</th>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="n">4</td>' in bike and '<td class="n">2</td>' in bike  # reports, recorded
    assert "75" in bike  # 3 of 4 not shared with the police
    assert "Bicycle theft" in table.split("</tr>", 2)[1]  # first row: the most under-reported
    report = analyst.get(f"/insight/report/?{query}").content.decode()
    assert 'id="dark-number"' in report


def test_the_cli_imports_and_names_bad_rows(tmp_path: Path, city_point: tuple[float, float]) -> None:
    from streetlight.cli import main

    good = police_csv(tmp_path / "good.csv", this_month(), city_point, ["Drugs"] * 2)
    assert main(["police", "import", str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nx,not-a-month,F,F,7.68,45.07,s,E,n,Drugs,,\n", encoding="utf-8")
    assert main(["police", "import", str(bad)]) == 1


def test_the_demo_city_has_made_up_police_statistics_to_compare_with() -> None:
    from streetlight.demo.seed import seed_police_statistics, seed_reports

    seed_reports(n=400, seed=2)
    assert seed_police_statistics(seed=2) > 0
    batch = PoliceImport.objects.get()
    assert batch.source == "demo (generated)" and batch.months
    today = timezone.localdate()
    page = member("analyst").get(f"/insight/?from={today - timedelta(days=364):%Y-%m-%d}&to={today:%Y-%m-%d}")
    assert 'id="dark-number"' in page.content.decode()
