"""The bridge between stored triage models and the toolkit: loading a model once per process and
turning a text into everything triage records. No database access here."""

from __future__ import annotations

import io
import random
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from streetlight.toolkit.triage import assess_urgency, detect_language, redact

if TYPE_CHECKING:
    from streetlight.toolkit.triage import CategoryClassifier


@dataclass(frozen=True)
class Triaged:
    language: str
    language_confidence: float
    urgency: str
    urgency_score: float
    cues: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]
    needs_human: bool
    redacted: str
    redactions: list[dict[str, Any]]


def classifier_to_bytes(classifier: CategoryClassifier) -> bytes:
    buffer = io.BytesIO()
    classifier.save(buffer)
    return buffer.getvalue()


def classifier_from_bytes(payload: bytes) -> CategoryClassifier:
    """Raises the toolkit's ModelFileError for a corrupt or foreign file."""
    # scikit-learn loads with the first model a process reads: web processes that never triage
    # stay small.
    from streetlight.toolkit.triage import CategoryClassifier

    return CategoryClassifier.load(io.BytesIO(payload))


_lock = threading.Lock()
_loaded: dict[str, CategoryClassifier] = {}


def cached_classifier(checksum: str, payload: bytes) -> CategoryClassifier:
    """A model is read from its file once per process and kept by checksum: a new active model is
    picked up at the next report without a restart, and only the latest one is kept in memory."""
    with _lock:
        if checksum not in _loaded:
            classifier = classifier_from_bytes(payload)
            _loaded.clear()
            _loaded[checksum] = classifier
        return _loaded[checksum]


def triage_text(text: str, classifier: CategoryClassifier | None) -> Triaged:
    language = detect_language(text)
    urgency = assess_urgency(text, language=None if language.code == "other" else language.code)
    redaction = redact(text)
    suggestions: list[dict[str, Any]] = []
    needs_human = True
    if classifier is not None and text.strip():
        suggestion = classifier.suggest(text)
        suggestions = [{"category": label, "confidence": round(float(p), 4)} for label, p in suggestion.labels[:5]]
        needs_human = suggestion.needs_human
    return Triaged(
        language=language.code,
        language_confidence=round(float(language.confidence), 4),
        urgency=urgency.level,
        urgency_score=round(float(urgency.score), 4),
        cues=[
            {"kind": cue.kind, "words": list(cue.words), "spans": [list(span) for span in cue.spans]}
            for cue in urgency.cues
        ],
        suggestions=suggestions,
        needs_human=needs_human,
        redacted=redaction.text,
        redactions=[{"kind": span.kind, "start": span.start, "end": span.end} for span in redaction.spans],
    )


@dataclass(frozen=True)
class Trained:
    classifier: CategoryClassifier
    trained_on: int
    held_out: int
    evaluation: dict[str, Any]


MIN_LABELS_FOR_HOLDOUT = 20
MIN_TEXTS_FOR_DEV = 50
DEV_SHARE = 0.15  # of the training texts, to tune each category's threshold on
C = 1.0  # many categories with few texts each: less regularisation than the toolkit's default (see docs/triage.md)


def train(*, labelled: list[dict[str, Any]], seeds: list[dict[str, Any]], holdout: float, seed: int) -> Trained:
    """Fit and evaluate honestly: the evaluation set is drawn from the operators' labels (what the
    city's reports look like) once there are enough of them, otherwise from the seed texts; it is never
    trained on, nor used to tune the thresholds (a separate share of the training texts is). Raises
    ValueError when there is too little to learn from."""
    rng = random.Random(seed)
    pool = labelled if len(labelled) >= MIN_LABELS_FOR_HOLDOUT else seeds
    rest = seeds if pool is labelled else labelled
    shuffled = pool[:]
    rng.shuffle(shuffled)
    cut = max(1, round(len(shuffled) * holdout)) if shuffled else 0
    test, train_rows = shuffled[:cut], shuffled[cut:] + rest
    if len({label for row in train_rows for label in row["labels"]}) < 2 or len(train_rows) < 10:
        raise ValueError("Too few labelled texts to train on: at least 10 texts with 2 different categories.")
    rng.shuffle(train_rows)
    dev_cut = round(len(train_rows) * DEV_SHARE) if len(train_rows) >= MIN_TEXTS_FOR_DEV else 0
    dev, fit_rows = train_rows[:dev_cut], train_rows[dev_cut:]
    from streetlight.toolkit.triage import CategoryClassifier, evaluate

    classifier = CategoryClassifier(C=C).fit([r["text"] for r in fit_rows], [r["labels"] for r in fit_rows])
    if dev:
        classifier.tune_thresholds([r["text"] for r in dev], [r["labels"] for r in dev])
    evaluation: dict[str, Any] = {}
    if test:
        texts = [r["text"] for r in test]
        evaluation = evaluate(
            [r["labels"] for r in test],
            classifier.predict(texts),
            proba=classifier.predict_proba(texts),
            labels=list(classifier.labels_),
        ).to_dict()
        evaluation["held_out_from"] = "labels" if pool is labelled else "seed texts"
    return Trained(classifier=classifier, trained_on=len(train_rows), held_out=len(test), evaluation=evaluation)
