"""The category classifier: `CategoryClassifier` (fit, tune, predict, suggest, save, load) and `Suggestion`.

Why this family of model and its limits: see the package docstring (`streetlight.toolkit.triage.model`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator

from .features import MAX_TEXT_CHARS, _batches, _check_texts, _tokens, _Vectorizer
from .fileformat import FORMAT_VERSION, MODEL_KIND, ModelFileError, _package_version, read_model, write_model

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Suggestion:
    """What triage proposes for one text, and whether a person should decide instead.

    `labels` lists every label with its probability, most probable first; `chosen` holds those at or
    over their decision threshold (possibly none). `needs_human` is true when the best probability is
    under the confidence floor, or the text gave the model nothing to go on; `reason` says which.
    """

    labels: tuple[tuple[str, float], ...]
    chosen: tuple[str, ...]
    needs_human: bool
    reason: str = ""

    @property
    def best(self) -> tuple[str, float] | None:
        return self.labels[0] if self.labels else None


class CategoryClassifier(BaseEstimator):
    """Multi-label text classifier: `fit(texts, labels)` with a list of label lists per text.

    Parameters are scikit-learn style (stored as given, validated in `fit`):

    - `C`: inverse regularisation of the linear SVMs; tune it on a development set.
    - `threshold`: decision threshold on the calibrated probability, for every label;
      `tune_thresholds` replaces it with one threshold per label chosen on a development set.
    - `confidence_floor`: `suggest` asks for a person when the best probability is below it.
    - `word_ngrams`, `char_ngrams` (None disables), `min_df`: the feature space.
    - `class_weight`: None or "balanced" (weights positives by their rarity).
    - `calibration_folds`: cross-validation folds for the Platt scaling of every label.

    Fitted attributes: `labels_`, `thresholds_`, `metadata_`.
    """

    def __init__(
        self,
        *,
        C: float = 0.1,
        threshold: float = 0.5,
        confidence_floor: float = 0.5,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        class_weight: Literal["balanced"] | None = None,
        calibration_folds: int = 5,
        hash_bits: int = 22,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.threshold = threshold
        self.confidence_floor = confidence_floor
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.hash_bits = hash_bits
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting

    def _validate_params(self) -> None:
        if not (isinstance(self.C, int | float) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        for name in ("threshold", "confidence_floor"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ValueError(f"{name} must be a probability between 0 and 1, got {value!r}")
        low, high = self.word_ngrams
        if not 1 <= low <= high <= 4:
            raise ValueError(f"word_ngrams must satisfy 1 <= low <= high <= 4, got {self.word_ngrams!r}")
        if self.char_ngrams is not None:
            low, high = self.char_ngrams
            if not 1 <= low <= high <= 8:
                raise ValueError(f"char_ngrams must satisfy 1 <= low <= high <= 8, got {self.char_ngrams!r}")
        if not 10 <= self.hash_bits <= 28:
            raise ValueError(f"hash_bits must be between 10 and 28, got {self.hash_bits!r}")
        if self.min_df < 1:
            raise ValueError(f"min_df must be at least 1, got {self.min_df!r}")
        if self.class_weight not in (None, "balanced"):
            raise ValueError(f"class_weight must be None or 'balanced', got {self.class_weight!r}")

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> CategoryClassifier:
        """Learn one calibrated linear model per label from texts and their label lists.

        Every label needs at least one text with it and one without; a text may have no label.
        """
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.svm import LinearSVC

        self._validate_params()
        _check_texts(texts)
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} label lists")
        if len(texts) < 2:
            raise ValueError("need at least two texts to learn from")
        for i, row in enumerate(labels):
            if isinstance(row, str) or not all(isinstance(label, str) and label for label in row):
                raise ValueError(f"labels[{i}] must be a list of non-empty strings, got {row!r}")
        classes = sorted({label for row in labels for label in row})
        if not classes:
            raise ValueError("no text has a label: nothing to learn")
        y = np.zeros((len(texts), len(classes)), dtype=np.int8)
        index = {c: j for j, c in enumerate(classes)}
        for i, row in enumerate(labels):
            for label in row:
                y[i, index[label]] = 1
        for j, c in enumerate(classes):
            if y[:, j].all():
                raise ValueError(f"label {c!r} is on every text: the model cannot learn when it does not apply")

        docs = _tokens(texts)
        vec = _Vectorizer.fit(
            docs,
            word_ngrams=tuple(self.word_ngrams),  # type: ignore[arg-type]
            char_ngrams=None if self.char_ngrams is None else tuple(self.char_ngrams),  # type: ignore[arg-type]
            hash_bits=self.hash_bits,
            min_df=self.min_df,
        )
        if vec.n_features == 0:
            raise ValueError("the texts contain no words (only symbols, emoji or blanks): nothing to learn")
        lengths = [sum(map(len, tokens)) + len(tokens) for tokens in docs]
        counts = sparse.vstack([vec.counts(docs[batch]) for batch in _batches(lengths)], format="csr")
        vec.idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_.astype(np.float32)
        x = vec.tfidf(counts)

        coef = np.zeros((vec.n_features, len(classes)), dtype=np.float32)
        intercept = np.zeros(len(classes))
        slope = np.ones(len(classes))
        offset = np.zeros(len(classes))
        for j in range(len(classes)):
            target = y[:, j]
            svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
            svm.fit(x, target)
            coef[:, j] = svm.coef_.ravel()
            intercept[j] = svm.intercept_[0]
            # Platt scaling on out-of-fold scores: in-sample SVM scores are overconfident.
            folds = min(self.calibration_folds, int(target.sum()), int(len(target) - target.sum()))
            if folds >= 2:
                cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
                scores = cross_val_predict(svm, x, target, cv=cv, method="decision_function")
            else:  # too few examples to hold any out: calibrate in-sample, regularised by LR's prior
                scores = svm.decision_function(x)
            platt = LogisticRegression(C=1.0).fit(scores.reshape(-1, 1), target)
            slope[j] = platt.coef_[0, 0]
            offset[j] = platt.intercept_[0]

        self.labels_ = list(classes)
        self.thresholds_ = np.full(len(classes), float(self.threshold))
        self._vec = vec
        self._coef = coef
        self._intercept = intercept
        self._platt_slope = slope
        self._platt_offset = offset
        self.metadata_: dict[str, Any] = {
            "kind": MODEL_KIND,
            "format_version": FORMAT_VERSION,
            "streetlight_version": _package_version("streetlight"),
            "scikit_learn_version": _package_version("scikit-learn"),
            "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "labels": list(classes),
            "n_train": len(texts),
            "label_counts": {c: int(y[:, j].sum()) for j, c in enumerate(classes)},
            "n_word_features": len(vec.words),
            "n_char_features": len(vec.char_buckets),
            "params": self._params_json(),
            "evaluation": None,
        }
        return self

    def tune_thresholds(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        *,
        metric: Literal["f1", "accuracy", "macro_f1"] = "f1",
    ) -> CategoryClassifier:
        """Choose each label's threshold on a development set (never the test set).

        - "f1": each label's F1 (hence the macro-F1 over labels), trading some accuracy for fewer
          missed reports of rarer categories;
        - "accuracy": each label's accuracy;
        - "macro_f1": the mean of the F1 of "label present" and of "label absent", the usual score of
          a yes/no task where both answers matter (offensive or not, informative or not).

        Every distinct dev probability is a candidate (counts from scikit-learn's `roc_curve`); the
        threshold is set halfway between the chosen probability and the next lower one, so it does
        not sit on a dev example. A label with no positive or no negative dev example keeps its
        current threshold.
        """
        from sklearn.metrics import roc_curve

        self._check_fitted()
        if metric not in ("f1", "accuracy", "macro_f1"):
            raise ValueError(f"metric must be 'f1', 'accuracy' or 'macro_f1', got {metric!r}")
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} label lists")
        proba = self.predict_proba(texts)
        for j, label in enumerate(self.labels_):
            truth = np.array([label in row for row in labels], dtype=np.int8)
            if truth.all() or not truth.any():
                continue
            p = proba[:, j]
            fpr, tpr, cuts = roc_curve(truth, p, drop_intermediate=False)  # predict yes when p >= cut
            finite = np.isfinite(cuts)
            positives, negatives = int(truth.sum()), int(len(truth) - truth.sum())
            tp, fp = tpr[finite] * positives, fpr[finite] * negatives
            fn, tn = positives - tp, negatives - fp
            f1_yes = 2 * tp / (2 * tp + fp + fn)  # denominators > 0: both classes are present
            if metric == "f1":
                score = f1_yes
            elif metric == "accuracy":
                score = (tp + tn) / len(truth)
            else:
                score = (f1_yes + 2 * tn / (2 * tn + fp + fn)) / 2
            best = float(cuts[finite][int(np.argmax(score))])
            below = p[p < best]
            self.thresholds_[j] = (best + float(below.max())) / 2 if below.size else best / 2
        self.metadata_["thresholds_tuned_on"] = {"n": len(texts), "metric": metric}
        return self

    # ---------------------------------------------------------------- predicting

    def _check_fitted(self) -> None:
        if not hasattr(self, "_vec"):
            raise ValueError("this CategoryClassifier is not fitted: call fit() or load() first")

    def _scores(self, texts: Sequence[str]) -> tuple[FloatArray, npt.NDArray[np.intp]]:
        """Calibrated probabilities and the number of known features of every text."""
        self._check_fitted()
        _check_texts(texts)
        proba = np.empty((len(texts), len(self.labels_)))
        known = np.empty(len(texts), dtype=np.intp)
        for batch in _batches([len(t) for t in texts]):
            x = self._vec.tfidf(self._vec.counts(_tokens(texts[batch])))
            decision = x @ self._coef + self._intercept
            proba[batch] = expit(decision * self._platt_slope + self._platt_offset)
            known[batch] = np.diff(x.indptr)
        return proba, known

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Probability of every label (columns in `labels_` order) for every text; rows need not sum to 1."""
        return self._scores(texts)[0]

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        """The labels whose probability reaches their threshold, for every text (possibly none)."""
        proba = self.predict_proba(texts)
        chosen = proba >= self.thresholds_
        labels = self.labels_
        return [[labels[j] for j in np.flatnonzero(row)] for row in chosen]

    def suggest(self, text: str) -> Suggestion:
        """One text's labels, ranked, and whether a person should triage it instead of the model."""
        proba, known = self._scores([text])
        p = proba[0]
        order = np.argsort(-p, kind="stable")
        ranked = tuple((self.labels_[j], float(p[j])) for j in order)
        chosen = tuple(self.labels_[j] for j in order if p[j] >= self.thresholds_[j])
        best = float(p[order[0]])
        if not text.strip():
            reason = "empty text"
        elif len(text) > MAX_TEXT_CHARS:
            reason = f"text longer than {MAX_TEXT_CHARS:,} characters: only its start was read"
        elif known[0] == 0:
            reason = "no word or character sequence the model knows"
        elif best < self.confidence_floor:
            reason = f"best probability {best:.2f} is under the confidence floor {self.confidence_floor:.2f}"
        else:
            reason = ""
        return Suggestion(labels=ranked, chosen=chosen, needs_human=bool(reason), reason=reason)

    # ------------------------------------------------------------ saving, loading

    def _params_json(self) -> dict[str, Any]:
        params = self.get_params()
        for key in ("word_ngrams", "char_ngrams"):
            if params[key] is not None:
                params[key] = list(params[key])
        return dict(params)

    def save(self, target: str | os.PathLike[str] | IO[bytes], *, evaluation: Mapping[str, Any] | None = None) -> None:
        """Write the model: a header (kind, format version, SHA-256 and length of the payload), then
        the payload, a zip of JSON metadata/vocabulary and `.npy` arrays.

        No pickle anywhere, so loading a file can never run code; the checksum catches a file damaged
        on disk or in transit (it is not a signature: whoever can write the file can rewrite the
        checksum too). A path is written to a temporary file and renamed, so a crash never leaves a
        half-written model. `evaluation` (e.g. `Evaluation.to_dict()`) is kept in the metadata.
        """
        self._check_fitted()
        meta = dict(self.metadata_)
        meta["params"] = self._params_json()
        meta["confidence_floor"] = float(self.confidence_floor)
        if evaluation is not None:
            meta["evaluation"] = json.loads(json.dumps(evaluation))
        arrays: dict[str, npt.NDArray[Any]] = {
            "char_buckets": self._vec.char_buckets,
            "idf": self._vec.idf,
            "coef": self._coef,
            "intercept": self._intercept,
            "platt_slope": self._platt_slope,
            "platt_offset": self._platt_offset,
            "thresholds": np.asarray(self.thresholds_, dtype=np.float64),
        }
        words = sorted(self._vec.words, key=self._vec.words.__getitem__)
        write_model(target, meta, words, arrays)

    @classmethod
    def load(cls, source: str | os.PathLike[str] | IO[bytes]) -> CategoryClassifier:
        """Read a model written by `save`; any doubt about the file raises ModelFileError.

        Checked in this order: the header, the kind and format version, the payload length
        (truncation), the SHA-256 (corruption), then the content's consistency.
        """
        return read_model(source, cls._from_content)

    @classmethod
    def _from_content(cls, meta: dict[str, Any], words: Any, arrays: dict[str, npt.NDArray[Any]]) -> CategoryClassifier:
        """The model held by a file's content; inconsistent content raises (read_model says which file)."""
        params = dict(meta["params"])
        for key in ("word_ngrams", "char_ngrams"):
            if params.get(key) is not None:
                params[key] = tuple(params[key])
        model = cls(**params)
        labels = [str(label) for label in meta["labels"]]
        n_labels = len(labels)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ModelFileError("the word vocabulary is not a list of strings")
        n_features = len(words) + len(arrays["char_buckets"])
        expected = {
            "idf": (n_features,),
            "coef": (n_features, n_labels),
            "intercept": (n_labels,),
            "platt_slope": (n_labels,),
            "platt_offset": (n_labels,),
            "thresholds": (n_labels,),
        }
        for name, shape in expected.items():
            if arrays[name].shape != shape:
                raise ModelFileError(f"{name} has shape {arrays[name].shape}, expected {shape}")
        buckets = arrays["char_buckets"]
        if buckets.ndim != 1 or (buckets.size and int(buckets.max()) >= 1 << model.hash_bits):
            raise ModelFileError("character n-gram buckets out of range")
        vec = _Vectorizer(
            {w: i for i, w in enumerate(words)},
            buckets.astype(np.uint32),
            arrays["idf"].astype(np.float32),
            model.word_ngrams,
            model.char_ngrams,
            model.hash_bits,
        )
        model.labels_ = labels
        model.thresholds_ = arrays["thresholds"].astype(np.float64)
        model.confidence_floor = float(meta.get("confidence_floor", model.confidence_floor))
        model._vec = vec
        model._coef = arrays["coef"].astype(np.float32)
        model._intercept = arrays["intercept"].astype(np.float64)
        model._platt_slope = arrays["platt_slope"].astype(np.float64)
        model._platt_offset = arrays["platt_offset"].astype(np.float64)
        model.metadata_ = meta
        return model

    @property
    def nbytes(self) -> int:
        """Approximate memory held by the fitted model (arrays, lookup table, vocabulary)."""
        self._check_fitted()
        vec = self._vec
        table = vec._table.nbytes if vec._table is not None else 0
        words = sum(49 + len(w) for w in vec.words) + 40 * len(vec.words)  # str objects + dict slots
        arrays = (self._coef, vec.idf, vec.char_buckets, self._intercept, self._platt_slope, self._platt_offset)
        return int(sum(a.nbytes for a in arrays) + table + words)
