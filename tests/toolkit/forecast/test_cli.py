"""`streetlight forecast …` as an analyst runs it: a real process on the shared Chicago data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHICAGO = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "chicago-burglary-2016"
EVENTS = CHICAGO / "chicago_be.csv"
BOUNDARY = CHICAGO / "chicago_city_boundary_epsg26971.geojson"

needs_chicago = pytest.mark.skipif(not EVENTS.exists(), reason="shared data not present")


def forecast(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streetlight.toolkit.cli_forecast", "forecast", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def chicago(*extra: str) -> list[str]:
    return ["--events", str(EVENTS), "--x", "X", "--y", "Y", "--date", "date", "--boundary", str(BOUNDARY), *extra]


@needs_chicago
def test_backtest_on_chicago_prints_the_table(tmp_path: Path) -> None:
    out = forecast(
        "backtest",
        *chicago(
            "--cell",
            "150",
            "--methods",
            "naive,kde,prospective,sepp",
            "--start",
            "2016-03-01",
            "--end",
            "2016-03-11",
            "--json",
            str(tmp_path / "r.json"),
            "--chart",
            str(tmp_path / "r.svg"),
        ),
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == [
        "method",
        "coverage",
        "cells",
        "hit",
        "mean",
        "hit",
        "pooled",
        "PAI",
        "mean",
        "PAI",
        "pooled",
        "PEI",
        "mean",
        "PEI",
        "pooled",
    ]
    rows = [line.split() for line in lines[2:10]]
    assert [(r[0], r[1], r[2]) for r in rows[:2]] == [("naive", "5.0%", "1331"), ("naive", "10.0%", "2661")]
    assert {r[0] for r in rows} == {"naive", "kde", "prospective", "sepp"}
    assert all(0 < float(r[3]) < 1 for r in rows)
    assert "10 windows of 24 h" in out.stderr and "26610 cells" in out.stderr
    assert "1 row(s) without a position or time left out (line 2)" in out.stderr
    assert (tmp_path / "r.svg").read_text().startswith("<svg")
    assert '"tie_rule": "expected"' in (tmp_path / "r.json").read_text()


@needs_chicago
def test_predict_writes_the_flagged_cells() -> None:
    out = forecast("predict", *chicago("--method", "kde", "--for", "2016-12-01", "--top", "0.01"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "cell,x,y,risk,rank,flagged"
    assert len(lines) == 1 + 266 and lines[1].endswith(",1,True")


@needs_chicago
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cell", "100000"], "larger than the study area"),
        (["--start", "2016-03-01", "--end", "2016-03-01"], "empty backtest period"),
        (["--start", "2015-12-31", "--end", "2016-01-02"], "nothing to train on"),
    ],
)
def test_bad_options_on_real_data_give_a_clear_message(extra: list[str], message: str) -> None:
    out = forecast("backtest", *chicago(*extra))
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr


def test_bad_files_give_a_clear_message(tmp_path: Path) -> None:
    boundary = tmp_path / "area.geojson"
    boundary.write_text(
        '{"type": "Polygon", "coordinates": [[[0, 0], [1000, 0], [1000, 1000], [0, 1000], [0, 0]]]}', "utf-8"
    )
    cases = {
        "x,y,date\n10,10,2016-01-01\n20,20,2016-13-01\n": "line 3: '2016-13-01' is not an ISO date",
        "x,y,date\n10,10,2016-01-02\n20,20,2016-01-01\n": "not in time order: line 3",
        "x,y,date\n5000,5000,2016-01-01\n6000,6000,2016-01-02\n": "none of the events falls inside the study area",
    }
    for text, message in cases.items():
        path = tmp_path / "events.csv"
        path.write_text(text, encoding="utf-8")
        out = forecast(
            "backtest",
            "--events",
            str(path),
            "--x",
            "x",
            "--y",
            "y",
            "--date",
            "date",
            "--boundary",
            str(boundary),
            "--cell",
            "100",
            "--start",
            "2016-01-02",
        )
        assert out.returncode == 1, text
        assert message in out.stderr and "Traceback" not in out.stderr, out.stderr
