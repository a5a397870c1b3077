"""Quality: fit on train, choose C and the per-label thresholds on dev only, score the test split once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from streetlight.toolkit.triage import CategoryClassifier, Evaluation, evaluate

from .datasets import Rows, Splits

C_GRID = (0.05, 0.1, 0.2, 0.4)


@dataclass
class Quality:
    name: str
    note: str
    sizes: tuple[int, int, int]
    C: float
    thresholds: dict[str, float]
    dev_score: float
    tune_metric: str
    test: Evaluation
    extra: dict[str, float] = field(default_factory=dict)
    model: CategoryClassifier | None = None
    test_rows: Rows | None = None
    train_rows: Rows | None = None


def fit_tuned(
    splits: Splits, metric: Literal["f1", "accuracy", "macro_f1"], dev_score: Callable[[CategoryClassifier], float]
) -> tuple[CategoryClassifier, float]:
    """Fit one model per C on train, tune its thresholds on dev, keep the best dev score."""
    best: tuple[float, CategoryClassifier] | None = None
    for c in C_GRID:
        model = CategoryClassifier(C=c).fit(*splits.train)
        model.tune_thresholds(*splits.dev, metric=metric)
        score = dev_score(model)
        print(f"    C={c}: dev {metric} {score:.4f}", flush=True)
        if best is None or score > best[0]:
            best = (score, model)
    assert best is not None
    return best[1], best[0]


def binary_scores(truth: Sequence[list[str]], pred: Sequence[list[str]]) -> dict[str, float]:
    """Two-class scores of a yes/no task, with GermEval's "Average F" (harmonic mean of macro P and R)."""
    y = np.array([bool(r) for r in truth])
    p = np.array([bool(r) for r in pred])
    macro_p, macro_r, _, _ = precision_recall_fscore_support(y, p, average="macro", zero_division=0)
    majority = max(y.mean(), 1 - y.mean())
    return {
        "macro_f1": float(f1_score(y, p, average="macro")),
        "accuracy": float(accuracy_score(y, p)),
        "average_f": float(2 * macro_p * macro_r / (macro_p + macro_r)),
        "majority_accuracy": float(majority),
        "majority_macro_f1": float(f1_score(y, np.full_like(y, y.mean() > 0.5), average="macro")),
    }


def quality_multilabel(name: str, splits: Splits) -> Quality:
    def dev_macro_f1(model: CategoryClassifier) -> float:
        return evaluate(splits.dev[1], model.predict(splits.dev[0]), labels=model.labels_).macro_f1

    model, dev = fit_tuned(splits, "f1", dev_macro_f1)
    texts, truth = splits.test
    scores = evaluate(truth, model.predict(texts), model.predict_proba(texts), labels=model.labels_)  # test, once
    return Quality(
        name=name,
        note=splits.note,
        sizes=(len(splits.train[0]), len(splits.dev[0]), len(texts)),
        C=model.C,
        thresholds=dict(zip(model.labels_, map(float, model.thresholds_), strict=True)),
        dev_score=dev,
        tune_metric="per-label F1",
        test=scores,
        model=model,
        test_rows=splits.test,
        train_rows=splits.train,
    )


def quality_binary(name: str, splits: Splits) -> Quality:
    def dev_macro_f1(model: CategoryClassifier) -> float:
        return binary_scores(splits.dev[1], model.predict(splits.dev[0]))["macro_f1"]

    model, dev = fit_tuned(splits, "macro_f1", dev_macro_f1)
    texts, truth = splits.test
    pred = model.predict(texts)  # test, once
    scores = evaluate(truth, pred, model.predict_proba(texts), labels=model.labels_)
    return Quality(
        name=name,
        note=splits.note,
        sizes=(len(splits.train[0]), len(splits.dev[0]), len(texts)),
        C=model.C,
        thresholds=dict(zip(model.labels_, map(float, model.thresholds_), strict=True)),
        dev_score=dev,
        tune_metric="two-class macro-F1",
        test=scores,
        extra=binary_scores(truth, pred),
    )


def needs_human_share(model: CategoryClassifier, rows: Rows) -> dict[str, float]:
    """What the confidence floor does on the test split: share sent to a person, and the mean
    per-label accuracy on the texts left to the model versus on all texts."""
    texts, truth = rows
    flags = [model.suggest(t).needs_human for t in texts]
    kept = [i for i, flag in enumerate(flags) if not flag]
    pred = model.predict(texts)
    kept_scores = evaluate([truth[i] for i in kept], [pred[i] for i in kept], labels=model.labels_)
    return {
        "floor": float(model.confidence_floor),
        "share": float(np.mean(flags)),
        "kept_accuracy": kept_scores.mean_label_accuracy,
        "kept_macro_f1": kept_scores.macro_f1,
    }
