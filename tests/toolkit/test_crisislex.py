"""The CrisisLex T26 loader and evaluation, on a tiny synthetic folder with the real layout (the real
tweets are never copied here); the real folder is only checked for its size when present."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from streetlight.toolkit.posts.crisislex import (
    INFORMATION_TYPES,
    crisislex_evaluation,
    event_categories,
    load_crisislex,
    read_event,
)

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "crisislex-t26"
HEADER = "Tweet ID, Tweet Text, Information Source, Information Type, Informativeness\n"


def _write_event(root: Path, name: str, rows: list[tuple[str, str, str]], category: str = "Natural") -> None:
    folder = root / name
    folder.mkdir(parents=True)
    with (folder / f"{name}-tweets_labeled.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(HEADER)
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        for i, (text, kind, info) in enumerate(rows):
            fh.write(f'"{1000 + i}",')
            writer.writerow([text, "Media", kind, info])
    description = {"name": name, "categorization": {"category": category, "sub_category": "x", "type": "y"}}
    (folder / f"{name}-event_description.json").write_text(json.dumps(description), encoding="utf-8")


def test_read_event_maps_the_labels(tmp_path: Path) -> None:
    _write_event(
        tmp_path,
        "2013_Test_floods",
        [
            ("water in the streets, roads closed", "Infrastructure and utilities", "Related and informative"),
            ("thoughts with everyone, stay strong", "Sympathy and support", "Related - but not informative"),
            ("nice sandwich, with a comma", "Not labeled", "Not related"),
            ("unclear", "Not applicable", "Not applicable"),
            ("dash variant", "Caution and advice", "Related – but not informative"),
        ],
    )
    tweets = read_event(tmp_path / "2013_Test_floods" / "2013_Test_floods-tweets_labeled.csv")
    assert [t.event for t in tweets] == ["2013_Test_floods"] * 5
    assert [t.informativeness for t in tweets] == ["informative", "related", "unrelated", None, "related"]
    assert [t.relevant for t in tweets] == [True, False, False, None, False]
    assert [t.information_type for t in tweets] == [
        "Infrastructure and utilities",
        "Sympathy and support",
        None,
        None,
        "Caution and advice",
    ]
    assert tweets[2].text == "nice sandwich, with a comma"


def test_load_crisislex_counts_events_and_rows(tmp_path: Path) -> None:
    _write_event(tmp_path, "2012_A", [("a", "Not labeled", "Not related")] * 3)
    _write_event(tmp_path, "2013_B", [("b", "Not labeled", "Not related")] * 2, category="Human-induced")
    events = load_crisislex(tmp_path)
    assert {name: len(rows) for name, rows in events.items()} == {"2012_A": 3, "2013_B": 2}
    assert event_categories(tmp_path)["2013_B"]["category"] == "Human-induced"
    with pytest.raises(FileNotFoundError):
        load_crisislex(tmp_path / "absent")


_WORDS = {
    "Affected individuals": "people injured dead missing victims hospital",
    "Infrastructure and utilities": "bridge road closed power outage water supply",
    "Donations and volunteering": "donate blood volunteers money relief fund",
    "Caution and advice": "warning stay indoors avoid area evacuate alert",
    "Sympathy and support": "prayers thoughts hearts love condolences strength",
    "Other Useful Information": "update news report officials press conference",
}


def _synthetic_rows(event: str, n: int) -> list[tuple[str, str, str]]:
    rows = []
    for i in range(n):
        kind = INFORMATION_TYPES[i % len(INFORMATION_TYPES)]
        words = _WORDS[kind].split()
        text = f"{event} {' '.join(words[j % len(words)] for j in range(i % 4, i % 4 + 3))} #{i % 7}"
        info = "Related and informative" if kind != "Sympathy and support" else "Related - but not informative"
        rows.append((text, kind, info))
    rows += [(f"{event} lunch was great {i}", "Not labeled", "Not related") for i in range(n // 6)]
    return rows


def test_crisislex_evaluation_reports_in_and_cross_event_scores(tmp_path: Path) -> None:
    for event in ("2012_Floods", "2012_Quake", "2013_Storm", "2013_Attack"):
        _write_event(tmp_path, event, _synthetic_rows(event, 72))
    result = crisislex_evaluation(tmp_path, held_out=("2013_Attack",), grid=({"C": 0.5},))
    assert result["events"] == 4 and result["training_events"] == 3
    for task in ("relevance", "informativeness", "information_type"):
        scores = result[task]
        assert 0.0 <= scores["cross_event_macro_f1"] <= 1.0 and 0.0 <= scores["in_event_macro_f1"] <= 1.0
        assert scores["gap"] == pytest.approx(scores["in_event_macro_f1"] - scores["cross_event_macro_f1"], abs=1e-3)
        assert sum(scores["sizes"][k] for k in ("train", "dev", "test")) > 0
        assert list(scores["cross_event_by_event"]) == ["2013_Attack"]
    assert len(result["information_type"]["classes"]) == 6
    assert result["relevance"]["threshold"] is not None and result["information_type"]["threshold"] is None
    assert result["predict_ms_per_1000"] > 0
    with pytest.raises(ValueError, match="held-out events"):
        crisislex_evaluation(tmp_path, held_out=("2099_Nothing",))


@pytest.mark.skipif(not REAL.is_dir(), reason="CrisisLex T26 is not on this machine")
def test_real_folder_has_26_events_and_27933_rows() -> None:
    events = load_crisislex(REAL)
    assert len(events) == 26
    assert sum(len(rows) for rows in events.values()) == 27_933
    tweets = [t for rows in events.values() for t in rows]
    assert sum(t.informativeness is None for t in tweets) == 489
    assert sum(t.relevant is True for t in tweets) == 16_849
    assert sum(t.information_type is None for t in tweets) == 3_419 + 1_138
