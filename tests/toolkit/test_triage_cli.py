"""`streetlight triage …` as an analyst runs it: real processes, files and pipes, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TRAIN = [
    ("My bike was stolen at the station", ["theft-bike"]),
    ("Someone stole my bicycle from the rack", ["theft-bike"]),
    ("bike gone, lock cut in front of the school", ["theft-bike"]),
    ("On m'a volé mon vélo devant la gare", ["theft-bike"]),
    ("Mijn fiets is gestolen bij het station", ["theft-bike"]),
    ("Mi hanno rubato la bicicletta in piazza", ["theft-bike"]),
    ("Me han robado la bici en la estación", ["theft-bike"]),
    ("stolen e-bike from the garden shed", ["theft-bike"]),
    ("The street light on my corner is broken", ["public-space-streetlight"]),
    ("street lamp out for a week, very dark", ["public-space-streetlight"]),
    ("Le lampadaire de la rue est en panne", ["public-space-streetlight"]),
    ("De straatlantaarn doet het niet meer", ["public-space-streetlight"]),
    ("Il lampione della via è spento", ["public-space-streetlight"]),
    ("La farola de mi calle no funciona", ["public-space-streetlight"]),
    ("lamp post flickering all night", ["public-space-streetlight"]),
    ("the light in the underpass is broken again", ["public-space-streetlight"]),
    ("A man shouted racist insults at me on the tram", ["hate-verbal"]),
    ("Un homme m'a insulté à cause de ma religion", ["hate-verbal"]),
    ("Iemand schold me uit vanwege mijn huidskleur", ["hate-verbal"]),
    ("Mi hanno insultato perché sono gay", ["hate-verbal"]),
    ("Me insultaron por ser extranjero", ["hate-verbal"]),
    ("they shouted homophobic slurs at us", ["hate-verbal"]),
    ("racist abuse shouted at my daughter", ["hate-verbal"]),
    ("called us names because of our headscarves and then hit my friend", ["hate-verbal", "hate-physical"]),
]

TO_CLASSIFY = [
    {
        "id": "r1",
        "text": "My bike was stolen, call me on +31 6 12345678 or mail jan@example.nl",
        "when": "2026-05-01T10:00:00+02:00",
        "lat": 52.07,
        "lon": 4.30,
        "district": "centre",
    },
    {
        "id": "r2",
        "text": "Le lampadaire devant chez moi est en panne depuis lundi",
        "when": "2026-05-01T11:00:00+02:00",
        "lat": 52.08,
        "lon": 4.31,
        "district": "north",
    },
]


def streetlight(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "streetlight.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("triage")
    train = write_jsonl(folder / "train.jsonl", [{"text": t, "labels": labels} for t, labels in TRAIN])
    path = folder / "model.slm"
    done = streetlight("triage", "train", str(train), "--model", str(path))
    assert done.returncode == 0, done.stderr
    return path


def test_classify_then_redact_chain_in_a_pipe(model: Path, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "reports.jsonl", TO_CLASSIFY)
    classify = subprocess.Popen(
        [sys.executable, "-m", "streetlight.cli", "triage", "classify", "--model", str(model), str(source)],
        stdout=subprocess.PIPE,
    )
    redact = subprocess.run(
        [sys.executable, "-m", "streetlight.cli", "triage", "redact"],
        stdin=classify.stdout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert classify.wait(timeout=300) == 0
    assert redact.returncode == 0, redact.stderr
    rows = [json.loads(line) for line in redact.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["r1", "r2"]
    bike, lamp = rows
    assert bike["category"] == "theft-bike"
    assert lamp["category"] == "public-space-streetlight"
    assert set(bike["categories"]) <= {"theft-bike"}  # those over their threshold: maybe none
    assert lamp["language"] == "fr"
    assert bike["district"] == "centre"  # columns the verbs do not touch pass through
    assert "jan@example.nl" not in bike["text"] and "12345678" not in bike["text"]
    assert set(bike["redacted"]) >= {"email", "phone"}
    assert bike["urgency"] in {"normal", "high", "immediate"}
    assert 0.0 <= bike["confidence"] <= 1.0


def test_evaluate_prints_the_table_and_writes_json(model: Path, tmp_path: Path) -> None:
    test = write_jsonl(
        tmp_path / "test.jsonl",
        [
            {"text": "somebody took my bike from the station", "labels": ["theft-bike"]},
            {"text": "la farola está rota", "labels": ["public-space-streetlight"]},
            {"text": "insulted because of my religion", "labels": ["hate-verbal"]},
        ],
    )
    out = tmp_path / "scores.json"
    done = streetlight("triage", "evaluate", str(test), "--model", str(model), "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "theft-bike" in done.stdout and "precision" in done.stdout
    scores = json.loads(out.read_text())
    assert scores["n_samples"] == 3
    assert 0.0 <= scores["macro_f1"] <= 1.0
    assert {row["label"] for row in scores["per_label"]} >= {"theft-bike", "hate-verbal"}


def test_csv_labels_are_pipe_separated(tmp_path: Path) -> None:
    lines = ["text,labels"] + [f'"{t}",{"|".join(labels)}' for t, labels in TRAIN]
    source = tmp_path / "train.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "csv.slm"
    done = streetlight("triage", "train", str(source), "--model", str(path))
    assert done.returncode == 0, done.stderr
    assert "4 labels" in done.stderr  # hate-physical came from the one "a|b" row


def test_dedupe_marks_the_later_of_two_similar_nearby_reports(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "Broken street light at the corner of the park", "when": "2026-05-01T20:00:00+00:00",
         "lat": 52.0700, "lon": 4.3000},
        {"id": "b", "text": "Street light broken at the park corner", "when": "2026-05-01T22:00:00+00:00",
         "lat": 52.0702, "lon": 4.3001},
        {"id": "c", "text": "Street light broken at the park corner", "when": "2026-05-01T22:00:00+00:00",
         "lat": 52.2000, "lon": 4.5000},
    ]  # fmt: skip
    done = streetlight("triage", "dedupe", str(write_jsonl(tmp_path / "in.jsonl", rows)))
    assert done.returncode == 0, done.stderr
    out = {row["id"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert out["a"]["duplicate_of"] is None
    assert out["b"]["duplicate_of"] == "a" and out["b"]["duplicate_score"] > 0
    assert out["c"]["duplicate_of"] is None  # same words, 15 km away


def test_a_corrupt_model_is_refused_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.slm"
    bad.write_bytes(b"\x00\x01 not a model")
    done = streetlight("triage", "classify", "--model", str(bad), stdin='{"text": "hello"}\n')
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "not a Streetlight model" in done.stderr
    assert "Traceback" not in done.stderr
    missing = streetlight("triage", "classify", "--model", str(tmp_path / "nope.slm"), stdin="")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_training_on_a_file_without_labels_is_refused(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "nolabels.jsonl", [{"text": "just text"}, {"text": "more text"}])
    done = streetlight("triage", "train", str(source), "--model", str(tmp_path / "m.slm"))
    assert done.returncode == 1
    assert "error: no text has a label" in done.stderr and "Traceback" not in done.stderr
