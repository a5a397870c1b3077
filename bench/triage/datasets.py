"""The three labelled sets, each split into train / dev / test as its SOURCE.md describes."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from ..common import ROOT

DATA = Path(os.environ.get("STREETLIGHT_TRIAGE_DATA", str(ROOT.parent / "shared" / "data")))

SAFECITY_LABELS = ("commenting", "ogling", "groping")
SAFECITY_COLUMNS = ("Commenting", "Ogling/Facial Expressions/Staring", "Touching /Groping")
CRISISLEX_TEST = (
    "2013_Boston_bombings",
    "2013_LA_airport_shootings",
    "2013_Sardinia_floods",
    "2013_Spain_train_crash",
    "2013_Brazil_nightclub_fire",
    "2012_Italy_earthquakes",
    "2013_West_Texas_explosion",
)
CRISISLEX_DEV = (
    "2013_Glasgow_helicopter_crash",
    "2012_Guatemala_earthquake",
    "2013_Lac_Megantic_train_crash",
    "2013_Alberta_floods",
)

Rows = tuple[list[str], list[list[str]]]


@dataclass
class Splits:
    train: Rows
    dev: Rows
    test: Rows
    note: str


def _read_csv(path: Path, **kwargs: Any) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, **kwargs))


def load_safecity() -> Splits:
    """Official SafeCity train/dev/test; rebuilt from the three binary folders if the multi-label
    train file is missing (SOURCE.md checked: same texts, same order, Category = that column)."""
    base = DATA / "safecity"
    splits: dict[str, Rows] = {}
    rebuilt = []
    for split in ("train", "dev", "test"):
        path = base / "multilabel_classification" / f"{split}.csv"
        if path.exists():
            rows = _read_csv(path)
            texts = [r["Description"] for r in rows]
            labels = [
                [name for name, col in zip(SAFECITY_LABELS, SAFECITY_COLUMNS, strict=True) if r[col] == "1"]
                for r in rows
            ]
        else:
            rebuilt.append(split)
            per_label = {
                name: _read_csv(base / "binary_classification" / f"{name}_data" / f"{split}.csv")
                for name in SAFECITY_LABELS
            }
            texts = [r["Description"] for r in per_label["commenting"]]
            for name, rows in per_label.items():
                if [r["Description"] for r in rows] != texts:
                    raise RuntimeError(f"SafeCity {split}: the {name} file does not list the same texts")
            labels = [
                [name for name in SAFECITY_LABELS if per_label[name][i]["Category"] == "1"] for i in range(len(texts))
            ]
        splits[split] = (texts, labels)
    note = "official train / dev / test split"
    if rebuilt:
        note += f" ({', '.join(rebuilt)} rebuilt from the three binary_classification files)"
    return Splits(splits["train"], splits["dev"], splits["test"], note)


def load_germeval() -> Splits:
    """GermEval 2018 coarse task; dev = stratified 10 % of train, seed 13 (as in its SOURCE.md)."""

    def read(name: str) -> Rows:
        texts, labels = [], []
        with (DATA / "germeval2018" / name).open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                texts.append(row[0].replace("|LBR|", " "))
                labels.append(["offense"] if row[1] == "OFFENSE" else [])
        return texts, labels

    train_texts, train_labels = read("germeval2018.training.txt")
    tr_x, dv_x, tr_y, dv_y = train_test_split(
        train_texts, train_labels, test_size=0.1, random_state=13, stratify=[bool(y) for y in train_labels]
    )
    return Splits(
        (list(tr_x), list(tr_y)),
        (list(dv_x), list(dv_y)),
        read("germeval2018.test.txt"),
        "official train / test; dev = stratified 10 % of train (seed 13)",
    )


def load_crisislex() -> Splits:
    """CrisisLex T26 "related and informative" vs the rest, whole events held out (its SOURCE.md)."""
    parts: dict[str, Rows] = {"train": ([], []), "dev": ([], []), "test": ([], [])}
    for folder in sorted(p for p in (DATA / "crisislex-t26").iterdir() if p.is_dir()):
        split = "test" if folder.name in CRISISLEX_TEST else "dev" if folder.name in CRISISLEX_DEV else "train"
        (path,) = folder.glob("*-tweets_labeled.csv")
        for row in _read_csv(path, skipinitialspace=True):
            parts[split][0].append(row["Tweet Text"])
            parts[split][1].append(["informative"] if row["Informativeness"] == "Related and informative" else [])
    return Splits(
        parts["train"],
        parts["dev"],
        parts["test"],
        f"events held out: {len(CRISISLEX_TEST)} test events, {len(CRISISLEX_DEV)} dev events, 15 train events",
    )
