"""CrisisLex T26 (26 crises of 2012–2013, about 28,000 crowd-labelled tweets): a loader and the
in-event versus cross-event evaluation of post relevance and information type.

Why: a post classifier is used on the next incident, not on the ones it was trained on; new place
names and hashtags arrive with every event. Scoring it on a random split of known events flatters it,
so the evaluation also trains on some events and tests on others (by default the two intentional,
human-induced 2013 events, the Boston bombings and the LA airport shootings) and reports the gap.

Label mapping (the CSV's columns `Informativeness` and `Information Type`):

- relevance (binary): "Related and informative" is relevant; "Related - but not informative" and
  "Not related" are not; "Not applicable" rows are dropped.
- informativeness (3 classes): informative / related / unrelated, same rows.
- information type (6 classes): Affected individuals, Infrastructure and utilities, Donations and
  volunteering, Caution and advice, Sympathy and support, Other Useful Information; "Not labeled"
  and "Not applicable" rows are dropped.

The tweets are Twitter/X content (MIT-licensed collection, see the folder's SOURCE.md): read them,
never copy them into the repository or republish them. Pure Python, no Django.
"""

from __future__ import annotations

import csv
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .relevance import RELEVANT, RelevanceModel

#: Held out of training in the cross-event score: the intentional human-induced events (attacks).
HELD_OUT: Final = ("2013_Boston_bombings", "2013_LA_airport_shootings")
INFORMATIVENESS: Final = {
    "related and informative": "informative",
    "related - but not informative": "related",
    "not related": "unrelated",
}
INFORMATION_TYPES: Final = (
    "Affected individuals",
    "Infrastructure and utilities",
    "Donations and volunteering",
    "Caution and advice",
    "Sympathy and support",
    "Other Useful Information",
)
#: Parameters tried on the development split: C of the triage classifier's linear SVMs x word n-grams.
GRID: Final = tuple({"C": c, "word_ngrams": words} for words in ((1, 1), (1, 2)) for c in (0.05, 0.1, 0.2, 0.4))
_SPLIT: Final = (0.7, 0.1, 0.2)


@dataclass(frozen=True, slots=True)
class Tweet:
    """One labelled tweet; a label is None where the crowd gave none ("Not applicable", "Not labeled")."""

    event: str
    text: str
    informativeness: str | None  # "informative", "related" or "unrelated"
    information_type: str | None  # one of INFORMATION_TYPES

    @property
    def relevant(self) -> bool | None:
        return None if self.informativeness is None else self.informativeness == "informative"


def _norm(label: str) -> str:
    return " ".join(label.replace("–", "-").replace("—", "-").split()).lower()


def read_event(path: str | os.PathLike[str]) -> list[Tweet]:
    """The tweets of one `<event>-tweets_labeled.csv` (header with spaces after the commas)."""
    path = Path(path)
    event = path.name.removesuffix("-tweets_labeled.csv")
    types = {_norm(t): t for t in INFORMATION_TYPES}
    tweets = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, skipinitialspace=True):
            info = INFORMATIVENESS.get(_norm(row.get("Informativeness") or ""))
            kind = types.get(_norm(row.get("Information Type") or ""))
            tweets.append(Tweet(event, row.get("Tweet Text") or "", info, kind))
    return tweets


def load_crisislex(folder: str | os.PathLike[str]) -> dict[str, list[Tweet]]:
    """Every event of a T26 folder (`<event>/<event>-tweets_labeled.csv`), by event name, sorted."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"no CrisisLex T26 folder at {root}")
    events = {}
    for path in sorted(root.glob("*/*-tweets_labeled.csv")):
        events[path.parent.name] = read_event(path)
    if not events:
        raise FileNotFoundError(f"{root} holds no <event>/<event>-tweets_labeled.csv file")
    return events


def event_categories(folder: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Each event's categorisation (category, sub_category, type) from its event_description.json."""
    out = {}
    for path in sorted(Path(folder).glob("*/*-event_description.json")):
        out[path.parent.name] = dict(json.loads(path.read_text(encoding="utf-8")).get("categorization") or {})
    return out


# ---------------------------------------------------------------- evaluation


def _macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(list(truth), list(predicted), average="macro", zero_division=0))


def _pick[T](index: Sequence[int], values: Sequence[T]) -> list[T]:
    return [values[i] for i in index]


def _params_name(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


def _split(labels: Sequence[str], seed: int) -> tuple[list[int], list[int], list[int]]:
    """Stratified 70/10/20 train/dev/test indices."""
    from sklearn.model_selection import train_test_split

    index = list(range(len(labels)))
    train, rest = train_test_split(index, train_size=_SPLIT[0], stratify=labels, random_state=seed)
    dev, test = train_test_split(
        rest,
        train_size=_SPLIT[1] / (_SPLIT[1] + _SPLIT[2]),
        stratify=[labels[i] for i in rest],
        random_state=seed,
    )
    return train, dev, test


def _task(
    name: str,
    known: list[Tweet],
    unseen: list[Tweet],
    label: Callable[[Tweet], str | None],
    *,
    binary: bool,
    seed: int,
    grid: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, Any], RelevanceModel]:
    """Tune the parameters (and the binary threshold) on dev, then score the in-event test and the
    unseen events once."""
    rows = [(t.text, y) for t in known if (y := label(t)) is not None]
    texts, labels = [r[0] for r in rows], [r[1] for r in rows]
    tr, dv, te = _split(labels, seed)
    held = [(t.text, y, t.event) for t in unseen if (y := label(t)) is not None]

    tried: dict[str, float] = {}
    best: tuple[float, Mapping[str, Any], RelevanceModel] | None = None
    for params in grid:
        model = RelevanceModel.train(_pick(tr, texts), _pick(tr, labels), calibration_folds=3, **params)
        if binary:
            model.tune_threshold(_pick(dv, texts), _pick(dv, labels))
        score = _macro_f1(_pick(dv, labels), model.predict(_pick(dv, texts)))
        tried[_params_name(params)] = round(score, 4)
        if best is None or score > best[0]:
            best = (score, params, model)
    assert best is not None
    _score, chosen, model = best

    in_event = _macro_f1(_pick(te, labels), model.predict(_pick(te, texts)))
    held_pred = model.predict([h[0] for h in held]) if held else []
    cross = _macro_f1([h[1] for h in held], held_pred) if held else float("nan")
    per_event = {}
    for event in sorted({h[2] for h in held}):
        pairs = [(h[1], p) for h, p in zip(held, held_pred, strict=True) if h[2] == event]
        per_event[event] = round(_macro_f1([t for t, _ in pairs], [p for _, p in pairs]), 4)
    majority = Counter(_pick(tr, labels)).most_common(1)[0][0]
    result: dict[str, Any] = {
        "task": name,
        "classes": dict(sorted(Counter(labels + [h[1] for h in held]).items())),
        "sizes": {"train": len(tr), "dev": len(dv), "test": len(te), "held_out": len(held)},
        "chosen": _params_name(chosen),
        "dev_macro_f1": tried,
        "threshold": round(model.threshold, 4) if binary else None,
        "in_event_macro_f1": round(in_event, 4),
        "cross_event_macro_f1": round(cross, 4),
        "gap": round(in_event - cross, 4),
        "cross_event_by_event": per_event,
        "majority_in_event_macro_f1": round(_macro_f1(_pick(te, labels), [majority] * len(te)), 4),
        "majority_cross_event_macro_f1": round(_macro_f1([h[1] for h in held], [majority] * len(held)), 4),
    }
    return result, model


def crisislex_evaluation(
    folder: str | os.PathLike[str],
    *,
    held_out: Sequence[str] = HELD_OUT,
    seed: int = 7,
    grid: Sequence[Mapping[str, Any]] = GRID,
) -> dict[str, Any]:
    """In-event and cross-event macro-F1 of relevance (binary and 3-class) and information type.

    In-event: the tweets of the training events (all but `held_out`) are split at random, stratified,
    70 % train / 10 % dev / 20 % test. Every parameter set of `grid` is fitted on train and scored on dev (the
    binary model also tunes its threshold there); the best is scored once on the in-event test and
    once on the held-out events (cross-event: the same model, so the gap is the cost of new events).
    Also: majority-class baselines, the cross-event score per held-out event, and the time to predict
    1,000 held-out tweets with the relevance model.
    """
    events = load_crisislex(folder)
    missing = [e for e in held_out if e not in events]
    if missing:
        raise ValueError(f"held-out events not in {folder}: {', '.join(missing)}")
    known = [t for e, tweets in events.items() if e not in held_out for t in tweets]
    unseen = [t for e in held_out for t in events[e]]
    started = time.perf_counter()
    tasks: dict[str, Any] = {}

    def relevant(t: Tweet) -> str | None:
        return None if t.relevant is None else RELEVANT if t.relevant else "other"

    tasks["relevance"], relevance_model = _task("relevance", known, unseen, relevant, binary=True, seed=seed, grid=grid)
    tasks["informativeness"], _ = _task(
        "informativeness", known, unseen, lambda t: t.informativeness, binary=False, seed=seed, grid=grid
    )
    tasks["information_type"], _ = _task(
        "information_type", known, unseen, lambda t: t.information_type, binary=False, seed=seed, grid=grid
    )

    texts = [t.text for t in unseen]
    rng = random.Random(seed)
    sample = [rng.choice(texts) for _ in range(max(1000, len(texts)))]
    relevance_model.predict_proba(sample[:100])  # warm up
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        relevance_model.predict_proba(sample)
        timings.append((time.perf_counter() - t0) / len(sample) * 1000 * 1000)
    return {
        "events": len(events),
        "tweets": sum(len(v) for v in events.values()),
        "held_out_events": list(held_out),
        "training_events": len(events) - len(held_out),
        "seed": seed,
        "split": {"train": _SPLIT[0], "dev": _SPLIT[1], "test": _SPLIT[2]},
        **tasks,
        "predict_ms_per_1000": round(sorted(timings)[1], 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
