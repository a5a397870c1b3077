"""`streetlight cap validate|geojson|wrap`, through register() and as real processes."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from streetlight.toolkit.cli_cap import register
from streetlight.toolkit.formats.cap import CapAlert, CapArea, CapInfo, read_cap, write_cap
from streetlight.toolkit.formats.edxl import unwrap_edxl_de, validate_edxl_de, wrap_edxl_de
from streetlight.toolkit.geo import circle_ring, haversine_m

SHARED = Path("/work/shared/standards")
if not SHARED.is_dir():
    SHARED = Path(__file__).resolve().parents[3] / "shared" / "standards"
EXAMPLES = sorted((SHARED / "cap").glob("example-*.xml"))

pytestmark = pytest.mark.skipif(not EXAMPLES, reason="shared/standards is not available")

# Around Turin, like conftest's city: area W is lon 7.0-7.1, lat 45.0-45.1.
SQUARE = ((45.0, 7.0), (45.0, 7.1), (45.1, 7.1), (45.1, 7.0), (45.0, 7.0))
ALERT = CapAlert(
    identifier="pv-1",
    sender="alerts@portavera.example",
    sent=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    status="Actual",
    msg_type="Alert",
    scope="Public",
    infos=(
        CapInfo(
            language="it",
            categories=("Safety",),
            event="Chiusura strada",
            urgency="Expected",
            severity="Minor",
            certainty="Likely",
            expires=datetime(2026, 11, 25, tzinfo=UTC),
            areas=(CapArea("Centro", polygons=(SQUARE,), circles=((45.2, 7.2, 1.5),)),),
        ),
    ),
)


def example(name: str) -> Path:
    return next(p for p in EXAMPLES if name in p.name)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="streetlight")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any, stdin: bytes = b"") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def streetlight(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "streetlight.cli", *argv], input=stdin, capture_output=True, timeout=120, check=False
    )


@pytest.fixture
def alert_file(tmp_path: Path) -> Path:
    path = tmp_path / "alert.xml"
    path.write_bytes(write_cap(ALERT))
    return path


# -- validate --------------------------------------------------------------------------------------


def test_validate_says_valid_for_each_file(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    code, out, _ = run(["cap", "validate", *map(str, EXAMPLES)], monkeypatch, capsys)
    assert code == 0
    assert out.splitlines() == [f"{p}: valid" for p in EXAMPLES]


def test_validate_prints_each_problem_and_exits_1(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(example("A1").read_bytes().replace(b"<identifier>43b080713727", b"<identifier>43b 080713727"))
    code, out, _ = run(["cap", "validate", str(example("A1")), str(bad)], monkeypatch, capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{example('A1')}: valid",
        f"{bad}: alert.identifier: the identifier must not contain spaces, commas, '<' or '&'; it contains a space.",
    ]


def test_validate_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    code, out, _ = run(["cap", "validate", "-"], monkeypatch, capsys, stdin=example("A4").read_bytes())
    assert (code, out) == (0, "-: valid\n")


def test_validate_names_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    code, _, err = run(["cap", "validate", str(tmp_path / "nope.xml")], monkeypatch, capsys)
    assert code == 1
    assert err == f"error: {tmp_path / 'nope.xml'}: No such file or directory\n"


def test_validate_takes_edxl_distributions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    distribution = tmp_path / "d.xml"
    distribution.write_bytes(
        wrap_edxl_de([example("A3").read_bytes()], distribution_id="d", sender_id="a@b.example", sent=datetime.now(UTC))
    )
    code, out, _ = run(["cap", "validate", str(distribution)], monkeypatch, capsys)
    assert (code, out) == (0, f"{distribution}: valid\n")


# -- geojson ---------------------------------------------------------------------------------------


def test_geojson_writes_polygons_in_lon_lat_order(alert_file: Path, monkeypatch: Any, capsys: Any) -> None:
    code, out, _ = run(["cap", "geojson", str(alert_file)], monkeypatch, capsys)
    assert code == 0
    polygon, circle = json.loads(out)["features"]
    assert polygon["geometry"] == {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in SQUARE]]}
    assert polygon["properties"] == {
        "code": "alerts@portavera.example/pv-1/info[0].area[0].polygon[0]",
        "name": "Centro",
        "identifier": "pv-1",
        "sender": "alerts@portavera.example",
        "sent": "2026-11-24T07:00:00-00:00",
        "status": "Actual",
        "msg_type": "Alert",
        "event": "Chiusura strada",
        "severity": "Minor",
        "urgency": "Expected",
        "certainty": "Likely",
        "language": "it",
        "headline": None,
        "expires": "2026-11-25T00:00:00-00:00",
        "area": "info[0].area[0].polygon[0]",
    }
    assert circle["geometry"]["type"] == "Polygon"
    assert circle["properties"]["radius_km"] == 1.5


def test_circles_become_64_sided_polygons_at_the_radius() -> None:
    ring = circle_ring(45.2, 7.2, 1.5)
    assert len(ring) == 65 and ring[0] == ring[-1]
    distances = [haversine_m(45.2, 7.2, lat, lon) for lon, lat in ring]
    assert max(abs(d - 1500.0) for d in distances) < 0.5
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    assert area2 > 0  # counter-clockwise


def test_geojson_circles_as_points(alert_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    _, out, _ = run(["cap", "geojson", "--circles", "point", str(alert_file)], monkeypatch, capsys)
    circle = json.loads(out)["features"][1]
    assert circle["geometry"] == {"type": "Point", "coordinates": [7.2, 45.2]}
    assert circle["properties"]["radius_km"] == 1.5


def test_geojson_notes_what_it_cannot_draw(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    code, out, err = run(["cap", "geojson", str(example("A3")), str(example("A4"))], monkeypatch, capsys)
    assert code == 0
    assert json.loads(out)["features"] == []
    assert f"note: {example('A3')}: alert.info[0].area[0].circle[0] (radius 0.0 km) cannot be drawn" in err
    assert f"note: {example('A4')}: alert.info[1].area[0] has no polygon or circle (geocodes only); left out" in err


def test_geojson_reports_unreadable_files_and_keeps_the_others(
    alert_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<alert")
    code, out, err = run(["cap", "geojson", str(broken), str(alert_file)], monkeypatch, capsys)
    assert code == 1
    assert len(json.loads(out)["features"]) == 2
    assert f"error: {broken}: alert: line 1: not well-formed XML" in err


def test_geojson_reads_the_alerts_of_a_distribution(
    alert_file: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    distribution = tmp_path / "d.xml"
    distribution.write_bytes(
        wrap_edxl_de([alert_file.read_bytes()], distribution_id="d", sender_id="a@b.example", sent=datetime.now(UTC))
    )
    _, out, _ = run(["cap", "geojson", str(distribution)], monkeypatch, capsys)
    assert len(json.loads(out)["features"]) == 2


def test_alert_areas_chain_into_geo_assign(alert_file: Path, tmp_path: Path) -> None:
    """The shell pipeline the docs show: which reports lie inside the alert's areas."""
    areas = tmp_path / "areas.geojson"
    made = streetlight("cap", "geojson", str(alert_file))
    assert made.returncode == 0, made.stderr
    areas.write_bytes(made.stdout)
    reports = b"id,lat,lon\n1,45.05,7.05\n2,45.2,7.21\n3,44.0,7.0\n"
    assigned = streetlight("geo", "assign", "--areas", str(areas), stdin=reports)
    assert assigned.returncode == 0, assigned.stderr
    rows = list(csv.DictReader(io.StringIO(assigned.stdout.decode())))
    assert [row["area"] for row in rows] == [
        "alerts@portavera.example/pv-1/info[0].area[0].polygon[0]",
        "alerts@portavera.example/pv-1/info[0].area[0].circle[0]",
        "",
    ]


# -- wrap ------------------------------------------------------------------------------------------


def test_wrap_as_a_process_writes_a_valid_distribution(alert_file: Path) -> None:
    done = streetlight(
        "cap", "wrap", str(alert_file), str(example("A4")),
        "--distribution-id", "pv-d-1", "--sender-id", "ops@portavera.example",
        "--sent", "2026-11-24T08:00:00+01:00", "--keyword", "urn:pv:kw=roads", "--recipient", "desk@police.example",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert validate_edxl_de(done.stdout) == []
    assert [read_cap(d) for d in unwrap_edxl_de(done.stdout)] == [ALERT, read_cap(example("A4").read_bytes())]
    assert b"<dateTimeSent>2026-11-24T08:00:00+01:00</dateTimeSent>" in done.stdout


def test_wrap_exercise_refuses_an_actual_alert_naming_the_file(alert_file: Path) -> None:
    done = streetlight(
        "cap", "wrap", str(alert_file), "--distribution-id", "d", "--sender-id", "a@b.example", "--exercise"
    )
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.decode() == (
        f"error: {alert_file}: alert.status: the alert's status 'Actual' differs from the distribution's 'Exercise'.\n"
    )


def test_wrap_exercise_alerts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any) -> None:
    drill = tmp_path / "drill.xml"
    drill.write_bytes(example("A1").read_bytes().replace(b"<status>Actual", b"<status>Exercise"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code = main(["cap", "wrap", str(drill), "--distribution-id", "d", "--sender-id", "a@b.example", "--exercise"])
    out = capsysbinary.readouterr().out
    assert code == 0
    assert b"<distributionStatus>Exercise</distributionStatus>" in out
    assert validate_edxl_de(out) == []


def test_wrap_refuses_a_bad_keyword(alert_file: Path, capsys: Any) -> None:
    with pytest.raises(SystemExit):
        main(["cap", "wrap", str(alert_file), "--distribution-id", "d", "--sender-id", "a@b", "--keyword", "x"])
    assert "'x' is not URN=VALUE" in capsys.readouterr().err
