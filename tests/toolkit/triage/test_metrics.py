"""evaluate() against values worked out by hand on four texts and two labels.

text   true    predicted   label a   label b
0      a       a           tp        tn
1      a, b    a           tp        fn
2      -       b           tn        fp
3      b       b           tn        tp
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from sklearn.metrics import f1_score

from streetlight.toolkit.triage import Evaluation, evaluate

Y_TRUE = [["a"], ["a", "b"], [], ["b"]]
Y_PRED = [["a"], ["a"], ["b"], ["b"]]
# cells (probability, truth): a: .92/1 .85/1 .05/0 .15/0; b: .12/0 .35/1 .65/0 .97/1
PROBA = [[0.92, 0.12], [0.85, 0.35], [0.05, 0.65], [0.15, 0.97]]


@pytest.fixture
def scores() -> Evaluation:
    return evaluate(Y_TRUE, Y_PRED, PROBA, labels=["a", "b"])


def test_per_label_confusion(scores: Evaluation) -> None:
    a, b = scores.per_label
    assert (a.label, a.tp, a.fp, a.fn, a.tn) == ("a", 2, 0, 0, 2)
    assert (b.label, b.tp, b.fp, b.fn, b.tn) == ("b", 1, 1, 1, 1)


def test_per_label_scores(scores: Evaluation) -> None:
    a, b = scores.per_label
    assert (a.precision, a.recall, a.f1, a.accuracy, a.support) == (1.0, 1.0, 1.0, 1.0, 2)
    assert (b.precision, b.recall, b.f1, b.accuracy, b.support) == (0.5, 0.5, 0.5, 0.5, 2)


def test_averages(scores: Evaluation) -> None:
    assert scores.n_samples == 4
    assert scores.macro_f1 == pytest.approx(0.75)  # (1 + 0.5) / 2
    assert scores.micro_f1 == pytest.approx(0.75)  # tp 3, fp 1, fn 1
    assert scores.subset_accuracy == pytest.approx(0.5)  # texts 0 and 3 exactly right
    assert scores.hamming_accuracy == pytest.approx(0.75)  # 2 wrong cells of 8
    assert scores.mean_label_accuracy == pytest.approx(0.75)  # (1 + 0.5) / 2
    assert scores.hamming_score == pytest.approx(0.625)  # (1 + 1/2 + 0/1 + 1) / 4


def test_calibration_table(scores: Evaluation) -> None:
    assert scores.calibration is not None
    table = {round(b.low, 1): (b.count, b.mean_predicted, b.observed) for b in scores.calibration if b.count}
    assert table.keys() == {0.0, 0.1, 0.3, 0.6, 0.8, 0.9}
    assert table[0.0] == pytest.approx((1, 0.05, 0.0))
    assert table[0.1] == pytest.approx((2, 0.135, 0.0))
    assert table[0.3] == pytest.approx((1, 0.35, 1.0))
    assert table[0.6] == pytest.approx((1, 0.65, 0.0))
    assert table[0.8] == pytest.approx((1, 0.85, 1.0))
    assert table[0.9] == pytest.approx((2, 0.945, 1.0))
    assert sum(b.count for b in scores.calibration) == 8
    assert len(scores.calibration) == 10


def test_brier_and_expected_calibration_error(scores: Evaluation) -> None:
    # squared errors .0064 .0144 .0225 .4225 .0025 .4225 .0225 .0009 over 8 cells
    assert scores.brier == pytest.approx(0.9142 / 8)
    # |mean - observed| weighted by count: .05 + 2(.135) + .65 + .65 + .15 + 2(.055), over 8
    assert scores.ece == pytest.approx(1.88 / 8)


def test_no_calibration_without_probabilities() -> None:
    scores = evaluate(Y_TRUE, Y_PRED, labels=["a", "b"])
    assert scores.calibration is None and scores.brier is None and scores.ece is None


def test_labels_default_to_the_sorted_labels_seen() -> None:
    assert evaluate([["b"], ["a"]], [["b"], []]).labels == ("a", "b")


def test_one_label_is_scored_as_that_label_not_as_two_classes() -> None:
    scores = evaluate([["x"], [], ["x"], []], [["x"], ["x"], [], []], labels=["x"])
    (x,) = scores.per_label
    assert (x.tp, x.fp, x.fn, x.tn) == (1, 1, 1, 1)
    assert scores.macro_f1 == pytest.approx(0.5)
    assert scores.hamming_score == scores.subset_accuracy == pytest.approx(0.5)


def test_label_never_seen_scores_zero_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = evaluate(Y_TRUE, Y_PRED, labels=["a", "b", "c"])
    c = scores.per_label[2]
    assert (c.precision, c.recall, c.f1, c.support, c.tn) == (0.0, 0.0, 0.0, 0, 4)
    assert scores.macro_f1 == pytest.approx(0.5)  # (1 + 0.5 + 0) / 3


def test_macro_and_micro_f1_agree_with_scikit_learn() -> None:
    rng = np.random.default_rng(5)
    truth = rng.random((200, 4)) < 0.3
    pred = rng.random((200, 4)) < 0.3
    labels = ["w", "x", "y", "z"]
    rows = lambda m: [[labels[j] for j in np.flatnonzero(r)] for r in m]  # noqa: E731
    scores = evaluate(rows(truth), rows(pred), labels=labels)
    assert scores.macro_f1 == pytest.approx(f1_score(truth, pred, average="macro"))
    assert scores.micro_f1 == pytest.approx(f1_score(truth, pred, average="micro"))


def test_to_dict_is_json(scores: Evaluation) -> None:
    data = json.loads(json.dumps(scores.to_dict()))
    assert data["labels"] == ["a", "b"]
    assert data["macro_f1"] == pytest.approx(0.75)
    assert data["per_label"][1] == {
        "label": "b",
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "accuracy": 0.5,
        "support": 2,
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "tn": 1,
    }
    assert len(data["calibration"]) == 10


def test_to_text_is_a_readable_table(scores: Evaluation) -> None:
    text = scores.to_text()
    assert "macro-F1 0.750" in text
    assert "subset accuracy 0.500" in text
    assert "Hamming score 0.625" in text
    assert "ECE 0.2350" in text
    assert any(line.startswith("b ") and "0.500" in line for line in text.splitlines())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_true": [["a"]], "y_pred": []}, "1 rows but y_pred has 0"),
        ({"y_true": [], "y_pred": []}, "empty"),
        ({"y_true": [["a"]], "y_pred": [["zz"]], "labels": ["a"]}, "'zz', which is not in labels"),
        ({"y_true": ["a"], "y_pred": [["a"]], "labels": ["a"]}, "must be a list of labels"),
        ({"y_true": [["a"]], "y_pred": [["a"]], "proba": [[0.5]]}, "pass labels="),
        ({"y_true": [["a"]], "y_pred": [["a"]], "proba": [[0.5, 0.5]], "labels": ["a"]}, "shape"),
        ({"y_true": [["a"]], "y_pred": [["a"]], "proba": [[1.5]], "labels": ["a"]}, "between 0 and 1"),
        ({"y_true": [["a"]], "y_pred": [["a"]], "labels": ["a", "a"]}, "duplicates"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(**kwargs)  # type: ignore[arg-type]
