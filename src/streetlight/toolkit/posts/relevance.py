"""Is a post about urban security? `RelevanceModel`, a small trainable text model, and the default
one trained on texts shipped with Streetlight.

Why the triage classifier underneath: it already turns short multilingual texts into word and
character n-gram TF-IDF features at tens of thousands of texts per second, calibrates its scores and
writes a checked, pickle-free model file. A relevance model is the same thing with one label
("relevant", binary) or one label per class (multi-class, e.g. CrisisLex information types), so this
module only adds the class bookkeeping, a prior correction and the words behind a decision.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.special import expit, logit

from streetlight.toolkit.triage.model import CategoryClassifier, ModelFileError

FloatArray = npt.NDArray[np.float64]

#: The label of the positive class of a binary relevance model.
RELEVANT = "relevant"
#: The triage app's seed corpus (see its seed_corpus.md): read as a file, so the toolkit imports no app.
SEED_CORPUS = Path(__file__).resolve().parent.parent.parent / "triage" / "data" / "seed_corpus.jsonl"
#: Everyday, non-security posts written for Streetlight (the default model's negatives).
EVERYDAY_POSTS = Path(__file__).resolve().parent / "data" / "everyday_posts.txt"
_META_KEY = "posts_relevance"
_MIN_IDF = 1.0 + float(np.log(20.0))  # smoothed idf of a word found in 1 training text in 20
#: Never shown as a reason on their own: articles, pronouns, prepositions, auxiliaries (normalised).
FUNCTION_WORDS = Path(__file__).resolve().parent / "data" / "function_words.txt"


class RelevanceModel:
    """Binary (P(relevant)) or multi-class text model on the triage classifier's features.

    Binary when the labels are two values one of which is `positive` ("relevant" by default);
    multi-class otherwise, with one calibrated one-vs-rest model per class and rows normalised to
    sum to 1. `prior` (binary only) re-bases the probabilities on that share of relevant texts
    instead of the training set's: a corpus with 6 security texts for 1 everyday one says nothing
    about how many posts in a city's stream are about security.
    """

    def __init__(self, classifier: CategoryClassifier, classes: Sequence[str], *, positive: str | None, shift: float):
        self.classifier = classifier
        self.classes_ = list(classes)
        self.positive = positive
        self.shift = shift  # log-odds subtracted from the calibrated binary score (prior correction)
        self.threshold = 0.5

    @property
    def binary(self) -> bool:
        return self.positive is not None

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        positive: str = RELEVANT,
        prior: float | None = None,
        C: float = 0.1,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        class_weight: Literal["balanced"] | None = "balanced",
        calibration_folds: int = 5,
        hash_bits: int = 20,
    ) -> RelevanceModel:
        """Fit on texts and one label per text; see the class docstring for binary vs multi-class."""
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        classes = sorted({str(label) for label in labels})
        if len(classes) < 2:
            raise ValueError("need at least two different labels to learn from")
        binary = len(classes) == 2 and positive in classes
        if prior is not None and not (binary and 0.0 < prior < 1.0):
            raise ValueError("prior is a share strictly between 0 and 1, for a binary model only")
        clf = CategoryClassifier(
            C=C,
            word_ngrams=word_ngrams,
            char_ngrams=char_ngrams,
            min_df=min_df,
            class_weight=class_weight,
            calibration_folds=calibration_folds,
            hash_bits=hash_bits,
        )
        shift = 0.0
        if binary:
            y = [label == positive for label in labels]
            clf.fit(texts, [[positive] if yes else [] for yes in y])
            if prior is not None:
                share = sum(y) / len(y)
                shift = float(logit(share) - logit(prior))
            return cls(clf, [c for c in classes if c != positive] + [positive], positive=positive, shift=shift)
        clf.fit(texts, [[str(label)] for label in labels])
        return cls(clf, clf.labels_, positive=None, shift=0.0)

    # ---------------------------------------------------------------- predicting

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Binary: P(relevant), shape (n,). Multi-class: shape (n, k), columns in `classes_` order."""
        p = self.classifier.predict_proba(texts)
        if self.binary:
            if not self.shift:
                return p[:, 0]
            clipped = np.clip(p[:, 0], 1e-12, 1 - 1e-12)
            return np.asarray(expit(logit(clipped) - self.shift), dtype=np.float64)
        total = p.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / p.shape[1])
        return np.asarray(out, dtype=np.float64)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """One label per text: the positive label at or over `threshold` (binary), else the most probable."""
        p = self.predict_proba(texts)
        if self.binary:
            negative = self.classes_[0]
            return [self.classes_[1] if v >= self.threshold else negative for v in p]
        return [self.classes_[j] for j in np.argmax(p, axis=1)]

    def tune_threshold(self, texts: Sequence[str], labels: Sequence[str]) -> float:
        """Binary only: the threshold with the best two-class macro-F1 on a development set (never the
        test set); the triage classifier's own tuning, carried through the prior correction."""
        if not self.binary:
            raise ValueError("a multi-class model predicts the most probable class: it has no threshold")
        positive = str(self.positive)
        self.classifier.tune_thresholds(texts, [[positive] if y == positive else [] for y in labels], metric="macro_f1")
        raw = float(np.clip(self.classifier.thresholds_[0], 1e-12, 1 - 1e-12))
        self.threshold = float(expit(logit(raw) - self.shift))
        return self.threshold

    def explain(self, texts: Sequence[str], *, top: int = 5) -> list[tuple[str, ...]]:
        """The words (word n-grams of the model's vocabulary) that pushed each text most towards
        relevant, strongest first; binary models only (multi-class: empty tuples).

        Reads the fitted triage classifier's vocabulary and weights: character n-grams are hashed and
        have no readable name, so a text moved only by them gets no words; words found in more than one
        training text in 20, or made only of function words ("on the", "dans la"), are never given as a reason.
        """
        if not self.binary or not len(texts):
            return [() for _ in texts]
        clf = self.classifier
        vec = clf._vec
        n_words = len(vec.words)
        vocabulary = sorted(vec.words, key=vec.words.__getitem__)
        weights = clf._coef[:n_words, 0].astype(np.float64)
        weights[vec.idf[:n_words] < _MIN_IDF] = 0.0  # words in over 1 text in 20 explain nothing
        function = _function_words()
        weights[[all(w in function or len(w) < 3 for w in gram.split()) for gram in vocabulary]] = 0.0
        out: list[tuple[str, ...]] = []
        from streetlight.toolkit.triage.model.features import _tokens

        x = vec.tfidf(vec.counts(_tokens(texts))).tocsr()
        for i in range(x.shape[0]):
            start, end = x.indptr[i], x.indptr[i + 1]
            cols, vals = x.indices[start:end], x.data[start:end]
            keep = cols < n_words
            cols, contrib = cols[keep], vals[keep] * weights[cols[keep]]
            order = np.argsort(-contrib, kind="stable")[:top]
            out.append(tuple(vocabulary[cols[j]] for j in order if contrib[j] > 0))
        return out

    # ------------------------------------------------------------ saving, loading

    def save(self, target: str | os.PathLike[str] | IO[bytes]) -> None:
        """The triage model file (header, SHA-256, zip of JSON and arrays; never a pickle) with this
        model's classes, positive label, prior shift and threshold in its metadata."""
        meta = self.classifier.metadata_
        meta[_META_KEY] = {
            "classes": self.classes_,
            "positive": self.positive,
            "shift": self.shift,
            "threshold": self.threshold,
        }
        self.classifier.save(target)

    @classmethod
    def load(cls, source: str | os.PathLike[str] | IO[bytes]) -> RelevanceModel:
        """Read a file written by `save`; a triage model without relevance metadata raises ModelFileError."""
        clf = CategoryClassifier.load(source)
        info: Any = clf.metadata_.get(_META_KEY)
        if not isinstance(info, dict):
            raise ModelFileError("a triage category model, not a posts relevance model")
        try:
            model = cls(clf, [str(c) for c in info["classes"]], positive=info["positive"], shift=float(info["shift"]))
            model.threshold = float(info["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"damaged relevance metadata ({exc})") from None
        return model


# ---------------------------------------------------------------- shipped texts


@functools.cache
def _function_words() -> frozenset[str]:
    lines = FUNCTION_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split()[1:])


def seed_corpus(path: str | os.PathLike[str] = SEED_CORPUS) -> list[dict[str, Any]]:
    """The triage seed corpus ({"text", "labels", "lang"} per line), read without the Django app."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def everyday_posts(path: str | os.PathLike[str] = EVERYDAY_POSTS) -> list[tuple[str, str]]:
    """(language, text) of the shipped everyday posts: `lang<TAB>text` lines, `#` starts a comment."""
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise ValueError(f"{path}:{number}: expected 'lang<TAB>text'")
        rows.append((lang.strip(), text.strip()))
    return rows


_default: RelevanceModel | None = None
_default_lock = threading.Lock()


def default_relevance_model() -> RelevanceModel:
    """Trained at first use (about a second), then kept for the process.

    Positives: the triage seed corpus (every category of the city's catalogue, five languages);
    negatives: the shipped everyday posts, hard negatives included ("the traffic was murder").
    Probabilities assume half the posts are relevant (prior 0.5), not the corpus's share.
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                positives = [row["text"] for row in seed_corpus()]
                negatives = [text for _lang, text in everyday_posts()]
                texts = positives + negatives
                labels = [RELEVANT] * len(positives) + ["other"] * len(negatives)
                _default = RelevanceModel.train(texts, labels, prior=0.5, C=1.0, min_df=1)
    return _default
