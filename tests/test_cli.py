"""The `streetlight` command, run as operators run it: a real process on a real SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "STREETLIGHT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "streetlight.settings",
    }
    environ.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "streetlight.cli", *args],
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def count(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "streetlight.sqlite3") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    result = run(path, "demo", "--reports", "300")
    assert result.returncode == 0, result.stderr
    return path


def test_demo_seeds_the_city_and_a_year_of_reports(demo_dir: Path) -> None:
    assert count(demo_dir, "reports_area") == 8
    assert count(demo_dir, "reports_category") > 30
    assert count(demo_dir, "reports_report") == 300


def test_demo_twice_adds_no_duplicate_reports(demo_dir: Path) -> None:
    result = run(demo_dir, "demo", "--reports", "300")
    assert result.returncode == 0
    assert "already present" in result.stdout
    assert count(demo_dir, "reports_report") == 300
    assert count(demo_dir, "alerts_alert") == 1  # the demo warning, not twice


def test_demo_publishes_a_valid_warning(demo_dir: Path) -> None:
    from streetlight.toolkit.formats.cap import validate_cap

    with sqlite3.connect(demo_dir / "streetlight.sqlite3") as db:
        (document,) = db.execute("SELECT document FROM alerts_alert").fetchone()
    assert validate_cap(document.encode()) == []
    assert count(demo_dir, "alerts_alertrule") == 1


def test_createadmin_with_password_from_environment(demo_dir: Path) -> None:
    result = run(
        demo_dir,
        "createadmin",
        "--username",
        "cityadmin",
        env={"STREETLIGHT_ADMIN_PASSWORD": "a-long-and-unusual-passphrase"},
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(demo_dir / "streetlight.sqlite3") as db:
        hashed = db.execute("SELECT password FROM accounts_user WHERE username='cityadmin'").fetchone()[0]
    assert hashed.startswith("argon2")


def test_createadmin_refuses_a_weak_password(demo_dir: Path) -> None:
    result = run(demo_dir, "createadmin", "--username", "weak", env={"STREETLIGHT_ADMIN_PASSWORD": "123"})
    assert result.returncode == 1
    assert "Password refused" in result.stderr


def test_catalog_refuses_a_bad_areas_file_with_a_clear_message(demo_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "areas.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "No code"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[7, 45], [7.1, 45], [7.1, 45.1], [7, 45]]],
                        },
                    }
                ],
            }
        )
    )
    result = run(demo_dir, "catalog", "areas", str(bad))
    assert result.returncode == 1
    assert "feature 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalog_loads_neighbourhoods(demo_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "hoods.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "N01", "name": "Piazza"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[7.67, 45.06], [7.69, 45.06], [7.69, 45.08], [7.67, 45.08], [7.67, 45.06]]
                            ],
                        },
                    }
                ],
            }
        )
    )
    result = run(demo_dir, "catalog", "areas", str(good), "--level", "neighbourhood")
    assert result.returncode == 0, result.stderr
    assert count(demo_dir, "reports_area") == 9


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "fly")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_keys_add_then_rotate_re_encrypts_the_contact_details(demo_dir: Path) -> None:
    keys_file = demo_dir / "field-keys"
    assert keys_file.exists() and keys_file.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(demo_dir / "streetlight.sqlite3") as db:
        stored = [row[0] for row in db.execute("SELECT email FROM reports_reportcontact WHERE email != ''")]
    assert stored and all(value.startswith("sl1:k1:") for value in stored)
    added = run(demo_dir, "keys", "add")
    assert added.returncode == 0, added.stderr
    assert "Key k2 is now current" in added.stdout
    rotated = run(demo_dir, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert f"reports.ReportContact: {count(demo_dir, 'reports_reportcontact')} rows re-encrypted under key k2" in (
        rotated.stdout
    )
    with sqlite3.connect(demo_dir / "streetlight.sqlite3") as db:
        stored = [row[0] for row in db.execute("SELECT email FROM reports_reportcontact WHERE email != ''")]
    assert all(value.startswith("sl1:k2:") for value in stored)
    assert "0 rows" in run(demo_dir, "keys", "rotate").stdout


def test_report_writes_the_council_report_as_html_and_pdf(demo_dir: Path, tmp_path: Path) -> None:
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    done = run(demo_dir, "report", "--from", "2020-01-01", "--to", "2030-12-31", "--html", str(html), "--pdf", str(pdf))
    assert done.returncode == 1 and "at most three years" in done.stderr
    done = run(demo_dir, "report", "--from", "2026-01-01", "--to", "2026-12-31", "--html", str(html), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    assert "Key figures" in html.read_text() and pdf.read_bytes().startswith(b"%PDF-")
    unknown = run(demo_dir, "report", "--area", "nowhere", "--from", "2026-01-01", "--to", "2026-06-30")
    assert unknown.returncode == 1 and "No area has the code nowhere" in unknown.stderr
