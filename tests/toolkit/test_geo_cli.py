"""The `geo` CLI verbs, through an argparse wrapper around register() and as real processes."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from streetlight.toolkit.cli_geo import register
from streetlight.toolkit.geo import blur_point, h3_cell

REPORTS_CSV = (
    "id,lat,lon,when\n"
    "1,45.05,7.05,2026-06-21T22:30:00+02:00\n"  # West, 20:30 UTC: after civil dusk (19:57 UTC)
    "2,45.05,7.15,2026-06-21T12:00:00Z\n"  # East, noon
    "3,abc,7.1,2026-06-21T12:00:00\n"  # broken latitude, naive time
    "4,45.05,7.1,\n"  # on the W/E border, no time
    "5,45.5,7.5,2026-12-21T19:00:00+00:00\n"  # outside the city
)


def main(argv: Sequence[str]) -> int:
    """What the `streetlight` console script does with the toolkit verbs."""
    parser = argparse.ArgumentParser(prog="streetlight")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def run(
    argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(text)))


# -- assign ----------------------------------------------------------------------------------------


def test_assign_adds_the_area_column(city_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    code, out, _ = run(["geo", "assign", "--areas", str(city_file)], REPORTS_CSV, monkeypatch, capsys)
    assert code == 0
    assert [r["area"] for r in csv_rows(out)] == ["W", "E", "", "W", ""]


def test_assign_warns_about_bad_coordinates_with_the_line(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    _, _, err = run(["geo", "assign", "--areas", str(city_file)], REPORTS_CSV, monkeypatch, capsys)
    assert "warning: line 4: latitude must be a number, got 'abc'; area left empty" in err


def test_assign_warns_about_missing_coordinates(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    _, out, err = run(["geo", "assign", "--areas", str(city_file)], "id,lat,lon\n1,,7.1\n", monkeypatch, capsys)
    assert csv_rows(out) == [{"id": "1", "lat": "", "lon": "7.1", "area": ""}]
    assert "warning: line 2: missing lat/lon; area left empty" in err


def test_assign_reads_a_file_argument(city_file: Path, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    reports = tmp_path / "reports.csv"
    reports.write_text(REPORTS_CSV, encoding="utf-8")
    _, out, _ = run(["geo", "assign", "--areas", str(city_file), str(reports)], "", monkeypatch, capsys)
    assert len(csv_rows(out)) == 5


def test_assign_line_numbers_survive_batching(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    lines = ["id,lat,lon"] + [f"{i},45.05,7.05" for i in range(5000)]
    lines[4600] = "bad,95,7.05"
    _, out, err = run(["geo", "assign", "--areas", str(city_file)], "\n".join(lines) + "\n", monkeypatch, capsys)
    assert err.count("warning:") == 1
    assert "warning: line 4601: latitude must be between -90 and 90" in err
    assert sum(r["area"] == "W" for r in csv_rows(out)) == 4999


def test_assign_with_a_broken_areas_file_fails_clearly(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}))
    code, out, err = run(["geo", "assign", "--areas", str(areas)], REPORTS_CSV, monkeypatch, capsys)
    assert (code, out) == (1, "")
    assert "error:" in err and "feature 0: missing 'code'" in err


def test_assign_with_a_missing_areas_file_fails_clearly(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    code, _, err = run(["geo", "assign", "--areas", str(tmp_path / "nope.geojson")], "", monkeypatch, capsys)
    assert code == 1 and "No such file" in err


def test_malformed_input_stops_with_the_line(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    stdin = '{"lat": 45.05, "lon": 7.05}\n{"lat": 45.05,\n'
    code, out, err = run(["geo", "assign", "--areas", str(city_file)], stdin, monkeypatch, capsys)
    assert code == 1
    assert out == '{"lat": 45.05, "lon": 7.05, "area": "W"}\n'
    assert "error: line 2: not valid JSON" in err


def test_jsonl_input_is_sniffed_and_written_back_as_jsonl(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    stdin = '{"id": 1, "lat": 45.05, "lon": 7.15}\n{"id": 2, "lat": null, "lon": null}\n'
    _, out, _ = run(["geo", "assign", "--areas", str(city_file)], stdin, monkeypatch, capsys)
    assert [json.loads(line)["area"] for line in out.splitlines()] == ["E", None]


def test_output_format_converts_to_geojson(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    argv = ["geo", "assign", "--areas", str(city_file), "--output-format", "geojson"]
    _, out, _ = run(argv, REPORTS_CSV, monkeypatch, capsys)
    first = json.loads(out)["features"][0]
    assert first["geometry"]["coordinates"] == [7.05, 45.05]
    assert first["properties"]["area"] == "W"


def test_other_coordinate_columns(city_file: Path, monkeypatch: Any, capsys: Any) -> None:
    argv = ["geo", "assign", "--areas", str(city_file), "--lat-column", "y", "--lon-column", "x"]
    _, out, _ = run(argv, "x,y\n7.15,45.05\n", monkeypatch, capsys)
    assert csv_rows(out)[0]["area"] == "E"


# -- blur ------------------------------------------------------------------------------------------


def test_blur_replaces_the_position_with_the_cell_centre(monkeypatch: Any, capsys: Any) -> None:
    _, out, _ = run(["geo", "blur", "--resolution", "9"], "id,lat,lon\n1,45.0703,7.6869\n", monkeypatch, capsys)
    row = csv_rows(out)[0]
    assert (float(row["lat"]), float(row["lon"])) == blur_point(45.0703, 7.6869, resolution=9)
    assert row["h3"] == h3_cell(45.0703, 7.6869, 9)


def test_blur_removes_an_unusable_position(monkeypatch: Any, capsys: Any) -> None:
    _, out, err = run(["geo", "blur"], "id,lat,lon\n1,45.07,\n", monkeypatch, capsys)
    assert csv_rows(out) == [{"id": "1", "lat": "", "lon": "", "h3": ""}]
    assert "warning: line 2: missing lat/lon; location removed" in err


def test_blur_refuses_resolution_16(monkeypatch: Any, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["geo", "blur", "--resolution", "16"], "", monkeypatch, capsys)
    assert exit_info.value.code == 2
    assert "H3 resolution must be between 0 and 15" in capsys.readouterr().err


# -- daynight --------------------------------------------------------------------------------------


def test_daynight_labels_rows_by_the_sun(monkeypatch: Any, capsys: Any) -> None:
    _, out, _ = run(["geo", "daynight"], REPORTS_CSV, monkeypatch, capsys)
    assert [r["day_night"] for r in csv_rows(out)] == ["night", "day", "", "", "night"]


def test_daynight_warns_about_naive_times(monkeypatch: Any, capsys: Any) -> None:
    _, _, err = run(["geo", "daynight"], REPORTS_CSV, monkeypatch, capsys)
    assert "warning: line 4: 'when' has no UTC offset" in err
    assert "warning: line 5: missing 'when'" in err


def test_daynight_honours_the_offset(monkeypatch: Any, capsys: Any) -> None:
    # The same wall-clock 21:30 is before dusk in UTC but after it at +00:00 vs -02:00.
    stdin = "lat,lon,when\n45.07,7.68,2026-06-21T21:30:00+02:00\n45.07,7.68,2026-06-21T21:30:00+00:00\n"
    _, out, _ = run(["geo", "daynight"], stdin, monkeypatch, capsys)
    assert [r["day_night"] for r in csv_rows(out)] == ["day", "night"]


# -- real processes --------------------------------------------------------------------------------

LEAD_CLI = (
    "import argparse, sys\n"
    "from streetlight.toolkit.cli_geo import register\n"
    "p = argparse.ArgumentParser(prog='streetlight')\n"
    "register(p.add_subparsers(dest='command', required=True))\n"
    "a = p.parse_args(sys.argv[1:])\n"
    "sys.exit(a.func(a))\n"
)


def test_verbs_chain_in_a_real_pipe(city_file: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports.csv"
    reports.write_text(REPORTS_CSV, encoding="utf-8")
    py = sys.executable
    first = subprocess.Popen(
        [py, "-m", "streetlight.toolkit.cli_geo", "geo", "assign", "--areas", str(city_file), str(reports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    second = subprocess.Popen(
        [py, "-c", LEAD_CLI, "geo", "daynight"],
        stdin=first.stdout,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert first.stdout is not None
    first.stdout.close()
    third = subprocess.run(
        [py, "-c", LEAD_CLI, "geo", "blur", "--output-format", "geojson"],
        stdin=second.stdout,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (first.wait(timeout=60), second.wait(timeout=60), third.returncode) == (0, 0, 0)
    features = json.loads(third.stdout)["features"]
    assert [f["properties"]["area"] for f in features] == ["W", "E", "", "W", ""]
    assert [f["properties"]["day_night"] for f in features] == ["night", "day", "", "", "night"]
    assert features[0]["geometry"]["coordinates"] == list(reversed(blur_point(45.05, 7.05)))
    assert features[2]["geometry"] is None
    assert b"line 4" in first.stderr.read()  # type: ignore[union-attr]


def test_toolkit_never_imports_django() -> None:
    code = (
        "import sys\n"
        "import streetlight.toolkit.geo, streetlight.toolkit.formats, streetlight.toolkit.cli_geo\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
