"""Scores of a multi-label classifier, stated the way the literature states them, plus calibration.

Each figure is computed by scikit-learn on binarised label matrices; this module only gathers them
into one JSON-ready record with a readable table, so the benchmark, the model file's metadata and a
notebook all report the same numbers under the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    hamming_loss,
    jaccard_score,
    precision_recall_fscore_support,
)


@dataclass(frozen=True)
class LabelScores:
    """One label treated as its own yes/no task; `support` is the number of true positives + misses."""

    label: str
    precision: float
    recall: float
    f1: float
    accuracy: float
    support: int
    tp: int
    fp: int
    fn: int
    tn: int


@dataclass(frozen=True)
class CalibrationBin:
    """Predicted probabilities in [low, high): their mean, and how often the label was really there."""

    low: float
    high: float
    count: int
    mean_predicted: float
    observed: float


@dataclass(frozen=True)
class Evaluation:
    """Every score of one evaluation run.

    - `macro_f1`: mean of the labels' F1 (each label counts the same, however rare; for one label,
      that label's F1, not the two-class macro-F1 of a binary task);
      `micro_f1`: F1 over all (text, label) decisions pooled.
    - `subset_accuracy`: share of texts whose label set is exactly right.
    - `hamming_accuracy` (1 − Hamming loss) equals `mean_label_accuracy`, the mean of the per-label
      accuracies: both names are used in papers, so both are given.
    - `hamming_score`: mean over texts of |true ∩ predicted| / |true ∪ predicted| (a text with no true
      and no predicted label scores 1), the "Hamming score" of Godbole & Sarawagi used by SafeCity.
    - `calibration`, `brier`, `ece`: only when probabilities were given, pooled over every
      (text, label) cell; `ece` is the count-weighted mean gap between predicted and observed.
    """

    n_samples: int
    labels: tuple[str, ...]
    per_label: tuple[LabelScores, ...]
    macro_f1: float
    micro_f1: float
    subset_accuracy: float
    hamming_accuracy: float
    mean_label_accuracy: float
    hamming_score: float
    calibration: tuple[CalibrationBin, ...] | None = None
    brier: float | None = None
    ece: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (floats, ints, strings, lists, dicts, None)."""
        data = asdict(self)
        data["labels"] = list(self.labels)
        data["per_label"] = [asdict(s) for s in self.per_label]
        data["calibration"] = None if self.calibration is None else [asdict(b) for b in self.calibration]
        return data

    def to_text(self) -> str:
        """A table a person can read in a terminal or a log."""
        width = max([5, *(len(label) for label in self.labels)])
        lines = [
            f"{'label':<{width}}  precision  recall     F1  accuracy  support     tp     fp     fn     tn",
        ]
        for s in self.per_label:
            lines.append(
                f"{s.label:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.accuracy:8.3f}  "
                f"{s.support:7d}  {s.tp:5d}  {s.fp:5d}  {s.fn:5d}  {s.tn:5d}"
            )
        lines += [
            "",
            f"texts {self.n_samples}   macro-F1 {self.macro_f1:.3f}   micro-F1 {self.micro_f1:.3f}   "
            f"subset accuracy {self.subset_accuracy:.3f}",
            f"1 - Hamming loss {self.hamming_accuracy:.3f}   mean per-label accuracy {self.mean_label_accuracy:.3f}   "
            f"Hamming score {self.hamming_score:.3f}",
        ]
        if self.calibration is not None:
            lines += [
                "",
                f"calibration (Brier {self.brier:.4f}, ECE {self.ece:.4f})",
                "predicted     count  mean  observed",
            ]
            for b in self.calibration:
                observed = f"{b.observed:8.3f}" if b.count else "       -"
                mean = f"{b.mean_predicted:.3f}" if b.count else "    -"
                lines.append(f"{b.low:.1f}-{b.high:.1f}  {b.count:9d}  {mean}  {observed}")
        return "\n".join(lines)


def _binarize(rows: Sequence[Sequence[str]], index: dict[str, int], what: str) -> npt.NDArray[np.int8]:
    matrix = np.zeros((len(rows), len(index)), dtype=np.int8)
    for i, row in enumerate(rows):
        if isinstance(row, str):
            raise ValueError(f"{what}[{i}] must be a list of labels, got the string {row!r}")
        for label in row:
            if label not in index:
                raise ValueError(f"{what}[{i}] has label {label!r}, which is not in labels")
            matrix[i, index[label]] = 1
    return matrix


def calibration_table(
    truth: npt.ArrayLike, proba: npt.ArrayLike, *, bins: int = 10
) -> tuple[tuple[CalibrationBin, ...], float]:
    """Equal-width probability bins → count, mean predicted, observed frequency; and the ECE.

    scikit-learn's `calibration_curve` drops empty bins and gives no counts, which a reader needs to
    judge a bin, hence this small table on top of the same binning.
    """
    y = np.asarray(truth, dtype=float).ravel()
    p = np.asarray(proba, dtype=float).ravel()
    which = np.clip((p * bins).astype(int), 0, bins - 1)  # p == 1.0 goes to the last bin
    counts = np.bincount(which, minlength=bins)
    sum_p = np.bincount(which, weights=p, minlength=bins)
    sum_y = np.bincount(which, weights=y, minlength=bins)
    table = []
    gap = 0.0
    for k in range(bins):
        n = int(counts[k])
        mean_p = float(sum_p[k] / n) if n else 0.0
        observed = float(sum_y[k] / n) if n else 0.0
        gap += n * abs(mean_p - observed)
        table.append(CalibrationBin(k / bins, (k + 1) / bins, n, mean_p, observed))
    return tuple(table), float(gap / max(len(p), 1))


def evaluate(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    proba: npt.ArrayLike | None = None,
    labels: Sequence[str] | None = None,
    *,
    bins: int = 10,
) -> Evaluation:
    """Score predicted label lists against true ones (a text may have no label at all).

    `labels` fixes the label order (and the columns of `proba`, shape (n_texts, n_labels)); without it,
    the sorted labels seen in y_true and y_pred, and then `proba` is refused because its columns would
    be ambiguous. Precision, recall and F1 of a label never predicted, or never present, are 0.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} rows but y_pred has {len(y_pred)}")
    if len(y_true) == 0:
        raise ValueError("nothing to evaluate: y_true is empty")
    if labels is None:
        if proba is not None:
            raise ValueError("pass labels= to say which label each column of proba belongs to")
        labels = sorted({label for row in (*y_true, *y_pred) if not isinstance(row, str) for label in row})
    labels = tuple(labels)
    if not labels:
        raise ValueError("no labels to evaluate")
    if len(set(labels)) != len(labels):
        raise ValueError("labels has duplicates")
    index = {label: j for j, label in enumerate(labels)}
    truth = _binarize(y_true, index, "y_true")
    pred = _binarize(y_pred, index, "y_pred")

    # Label by label on 1-D columns: with a single label, scikit-learn would read a one-column matrix
    # as a two-class problem and score the "absent" class too.
    per_label = []
    for j, label in enumerate(labels):
        t, p = truth[:, j], pred[:, j]
        precision, recall, f1, _ = precision_recall_fscore_support(t, p, average="binary", pos_label=1, zero_division=0)
        tn, fp, fn, tp = (int(v) for v in confusion_matrix(t, p, labels=[0, 1]).ravel())
        per_label.append(
            LabelScores(
                label=label,
                precision=float(precision),
                recall=float(recall),
                f1=float(f1),
                accuracy=float(accuracy_score(t, p)),
                support=int(t.sum()),
                tp=tp,
                fp=fp,
                fn=fn,
                tn=tn,
            )
        )
    subset_accuracy = float(accuracy_score(truth, pred))
    calibration = brier = ece = None
    if proba is not None:
        p = np.asarray(proba, dtype=float)
        if p.shape != truth.shape:
            raise ValueError(f"proba has shape {p.shape}, expected {truth.shape} (texts, labels)")
        if not np.isfinite(p).all() or p.min() < 0 or p.max() > 1:
            raise ValueError("proba must hold probabilities between 0 and 1")
        calibration, ece = calibration_table(truth, p, bins=bins)
        brier = float(brier_score_loss(truth.ravel(), p.ravel()))
    return Evaluation(
        n_samples=len(truth),
        labels=labels,
        per_label=tuple(per_label),
        macro_f1=float(np.mean([score.f1 for score in per_label])),
        micro_f1=float(f1_score(truth.ravel(), pred.ravel(), zero_division=0)),  # pooled decisions
        subset_accuracy=subset_accuracy,
        hamming_accuracy=float(1.0 - hamming_loss(truth, pred)),
        mean_label_accuracy=float(np.mean([score.accuracy for score in per_label])),
        # With one label, a text's |T ∩ P| / |T ∪ P| is 1 exactly when it is right: subset accuracy.
        hamming_score=(
            float(jaccard_score(truth, pred, average="samples", zero_division=1))
            if len(labels) > 1
            else subset_accuracy
        ),
        calibration=calibration,
        brier=brier,
        ece=ece,
    )
