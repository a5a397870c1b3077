"""`streetlight posts …` as an analyst runs it: real processes, files and pipes, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "src" / "streetlight" / "demo" / "data" / "gazetteer.csv"
ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

TIMELINE = [
    {
        "id": str(100 + i),
        "created_at": f"2026-05-05T22:{10 + 5 * i:02d}:00Z",
        "content": f"<p>{text}</p>",
        "language": "it",
        "account": {"acct": f"user{i}@example.social"},
        "url": f"https://example.social/@u/{100 + i}",
        "visibility": "public",
    }
    for i, text in enumerate(
        [
            "Rissa in piazza dei Tigli, bottiglie rotte",
            "Ancora urla in Piazza dei Tigli",
            "Polizia in piazza dei Tigli adesso",
            "Bella serata al cinema",
        ]
    )
] + [{"id": "999", "content": "", "created_at": "2026-05-05T22:00:00Z"}]


def streetlight(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "streetlight.cli", *args], input=stdin, capture_output=True, timeout=120, env=ENV
    )


def test_parse_writes_posts_and_reports_skipped_items(tmp_path: Path) -> None:
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(TIMELINE), encoding="utf-8")
    result = streetlight("posts", "parse", "--format", "mastodon", str(timeline))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["item_id"] for r in rows] == ["100", "101", "102", "103"]
    assert rows[0]["text"] == "Rissa in piazza dei Tigli, bottiglie rotte"
    assert rows[0]["published"] == "2026-05-05T22:10:00+00:00"
    assert b"skipped: status 5: no text" in result.stderr


def test_parse_pseudonymises_authors_with_a_key_file(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef0123456789abcdef\n")
    result = streetlight(
        "posts",
        "parse",
        "--format",
        "mastodon",
        "--pseudonym-key-file",
        str(key),
        "--source",
        "m",
        "-",
        stdin=json.dumps(TIMELINE[:1]).encode(),
    )
    [row] = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(row["author"]) == 32 and "user0" not in row["author"]


def test_parse_maps_export_columns(tmp_path: Path) -> None:
    export = b"uuid,body\nx1,Lampione spento in via Roma\n"
    result = streetlight("posts", "parse", "--format", "csv", "--map", "id=uuid", "--map", "text=body", stdin=export)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["item_id"] == "x1"


def test_an_unusable_document_exits_2_with_the_reason() -> None:
    result = streetlight("posts", "parse", "--format", "rss", stdin=b"<html>an error page</html>")
    assert result.returncode == 2
    assert b"not an RSS or Atom feed" in result.stderr
    assert result.stdout == b""


def test_a_giant_document_exits_2() -> None:
    result = streetlight("posts", "parse", "--format", "jsonl", stdin=b"{}" * (3 * 1024 * 1024))
    assert result.returncode == 2
    assert b"limit" in result.stderr


def test_geotag_adds_place_area_position_and_confidence() -> None:
    rows = b'{"text": "Furto in via del Mercato", "language": "it"}\n{"text": "nothing here"}\n'
    result = streetlight("posts", "geotag", "--gazetteer", str(DEMO), stdin=rows)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.decode().splitlines())
    assert (first["place"], first["area"], first["geo_confidence"]) == ("Via del Mercato", "D01", 0.95)
    assert first["lat"] and first["lon"]
    assert second["place"] is None and second["lat"] is None


def test_geotag_with_a_missing_gazetteer_is_an_error(tmp_path: Path) -> None:
    result = streetlight("posts", "geotag", "--gazetteer", str(tmp_path / "none.csv"), stdin=b"")
    assert result.returncode == 1
    assert b"none.csv" in result.stderr


def test_parse_geotag_bursts_chain_in_a_real_pipe(tmp_path: Path) -> None:
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(TIMELINE), encoding="utf-8")
    py = sys.executable
    first = subprocess.Popen(
        [py, "-m", "streetlight.cli", "posts", "parse", "--format", "mastodon", str(timeline)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    second = subprocess.Popen(
        [py, "-m", "streetlight.cli", "posts", "geotag", "--gazetteer", str(DEMO)],
        stdin=first.stdout,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert first.stdout is not None
    first.stdout.close()
    third = subprocess.run(
        [py, "-m", "streetlight.cli", "posts", "bursts", "--window-minutes", "30", "--min-count", "3"],
        stdin=second.stdout,
        capture_output=True,
        timeout=120,
        check=False,
        env=ENV,
    )
    assert (first.wait(timeout=120), second.wait(timeout=120), third.returncode) == (0, 0, 0), third.stderr
    [burst] = [json.loads(line) for line in third.stdout.decode().splitlines()]
    assert burst["place"] == "Piazza dei Tigli"
    assert (burst["start"], burst["end"], burst["count"]) == (
        "2026-05-05T22:10:00+00:00",
        "2026-05-05T22:20:00+00:00",
        3,
    )
    assert burst["score"] > 3


def test_bursts_by_area_and_bad_times_warned() -> None:
    rows = (
        "".join(json.dumps({"area": "D07", "published": f"2026-05-05T23:0{m}:00+02:00"}) + "\n" for m in range(4))
        + json.dumps({"area": "D07", "published": "soon"})
        + "\n"
    )
    result = streetlight("posts", "bursts", "--place-column", "area", stdin=rows.encode())
    assert result.returncode == 0, result.stderr
    [burst] = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert (burst["place"], burst["count"], burst["end"]) == ("D07", 3, "2026-05-05T21:02:00+00:00")
    assert b"line 5" in result.stderr


def test_toolkit_posts_never_imports_django() -> None:
    code = (
        "import sys\n"
        "import streetlight.toolkit.posts, streetlight.toolkit.cli_posts\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, env=ENV)
