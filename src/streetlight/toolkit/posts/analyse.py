"""Understanding a public post: is it about urban security, which of the city's categories, which
language, how urgent, how unsafe does its author feel, and how negative is it.

Signals, not surveillance: the result is about the text, never its author, and every number comes
with the words that drove it (`cues`) so an operator can see why a post was counted. The parts:

- relevance: a `RelevanceModel` (by default trained on the triage seed corpus against everyday posts,
  `default_relevance_model`), combined with the insecurity word lists (LEXICON_WEIGHT);
- alert type: the city's triage `CategoryClassifier`, when one is given, for relevant posts only;
- language and urgency: the triage toolkit's `detect_language` and `assess_urgency`;
- insecurity and sentiment: the word lists of `lexicon`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np

from streetlight.toolkit.triage import SUPPORTED_LANGUAGES, CategoryClassifier, assess_urgency, detect_languages

from .lexicon import fold, score_text
from .model import MAX_POST_CHARS  # the parsers' cut: a pasted megabyte costs no more than a long post
from .relevance import RelevanceModel, default_relevance_model

__all__ = [
    "INCIDENT_WEIGHT",
    "LEXICON_WEIGHT",
    "MAX_POST_CHARS",
    "PostAnalyser",
    "PostAnalysis",
    "RelevanceModel",
    "default_relevance_model",
]
#: Feeling unsafe is part of what "relevant" means, and the word lists see it where a model trained on
#: report-style texts may not ("j'ai peur de rentrer le soir"): relevance combines the two as
#: independent evidence, 1 − (1 − P_model)(1 − LEXICON_WEIGHT · insecurity). One fear word alone
#: (insecurity 0.63) cannot make an everyday post relevant; fear with a threat or night cue can.
LEXICON_WEIGHT: Final = 0.6
#: A word that names an incident ("stolen", "volé", "gestolen", "rubata", "robado") is independent
#: evidence too: 1 − (1 − P_model)(1 − LEXICON_WEIGHT · insecurity)(1 − INCIDENT_WEIGHT · incident).
#: The model alone missed plain incident posts whose other words are everyday ("this morning").
INCIDENT_WEIGHT: Final = 0.6
_INCIDENT_FILE: Final = Path(__file__).with_name("data") / "incident_words.json"
_WORDS: Final = re.compile(r"[^\W\d_]")
_TOKENS: Final = re.compile(r"\w+")
#: At most this many relevance words per post among the cues.
_RELEVANCE_CUES: Final = 4


@dataclass(frozen=True)
class PostAnalysis:
    """What one post says, as signals for the perceived-insecurity layer and the operators.

    - `language`: detected unless a supported hint was given; None when unknown or unsupported.
    - `relevant` / `relevance`: about urban security, crime, incivilities or feeling unsafe; P(relevant).
    - `alert_type` / `alert_confidence`: the classifier's top category when the post is relevant and
      that category's probability reaches the type threshold, else None; the probability is given for
      every relevant post (0.0 for the others and without a classifier), so a near miss shows.
    - `urgency`: the triage urgency level ("immediate", "high", "normal").
    - `insecurity`: 0–1, how strongly the post expresses feeling unsafe; `sentiment`: −1…+1.
    - `cues`: the words behind relevance (as the model knows them: lowercase, no accents), then
      insecurity and urgency (as written), without repeats.
    """

    language: str | None
    relevant: bool
    relevance: float
    alert_type: str | None
    alert_confidence: float
    urgency: str
    insecurity: float
    sentiment: float
    cues: tuple[str, ...]


def _language_hint(hint: str | None) -> str | None:
    """A supported language code from a hint ("FR", "fr-BE", "nl_NL"), or None."""
    if not isinstance(hint, str):
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if code in SUPPORTED_LANGUAGES and code != "other" else None


def _clean(text: object) -> str:
    """The part of a post that is analysed: a str (None and bytes tolerated), without lone surrogates."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text[: MAX_POST_CHARS * 4].decode("utf-8", errors="replace")
    head = str(text)[:MAX_POST_CHARS]
    return head.encode("utf-8", errors="replace").decode("utf-8")


def _distinct(cues: Sequence[str]) -> tuple[str, ...]:
    """Cues in order, without one that is part of another ("night" beside "at night")."""
    keys = [" " + " ".join(_TOKENS.findall(fold(c)[0])) + " " for c in cues]
    kept = [
        c
        for i, c in enumerate(cues)
        if keys[i].strip() and keys[i] not in keys[:i] and not any(keys[i] in k and k != keys[i] for k in keys)
    ]
    return tuple(kept)


@cache
def _incident_pattern() -> re.Pattern[str]:
    """One alternation over every language's incident words (posts mix languages), on folded text."""
    table = json.loads(_INCIDENT_FILE.read_text(encoding="utf-8"))
    words = {w for key, values in table.items() if not key.startswith("_") for w in values}
    parts = [
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in sorted(words, key=len, reverse=True)
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


@cache
def _idiom_pattern() -> re.Pattern[str]:
    idioms = json.loads(_INCIDENT_FILE.read_text(encoding="utf-8"))["_idioms"]
    return re.compile(r"\b(?:" + "|".join(re.escape(i) for i in idioms) + r")\b")


def incident_words(text: str) -> tuple[str, ...]:
    """The incident words of a post, folded, in order (at most three); figures of speech such as
    "daylight robbery" do not count."""
    folded = _idiom_pattern().sub(" ", fold(text)[0])
    return tuple(m.group(0) for m in _incident_pattern().finditer(folded))[:3]


class PostAnalyser:
    """Analyses posts with one relevance model and, optionally, the city's triage classifier.

    `relevance_threshold` decides `relevant` from P(relevant); `type_threshold` is the least
    probability of the top category for `alert_type` to be set. Without a classifier, `alert_type`
    is always None. Safe to share between threads once built (the models are only read).
    """

    def __init__(
        self,
        classifier: CategoryClassifier | None = None,
        *,
        relevance: RelevanceModel | None = None,
        relevance_threshold: float = 0.5,
        type_threshold: float = 0.35,
    ) -> None:
        for name, value in (("relevance_threshold", relevance_threshold), ("type_threshold", type_threshold)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
        self.classifier = classifier
        self.relevance = relevance if relevance is not None else default_relevance_model()
        if not self.relevance.binary:
            raise ValueError("the relevance model must be binary (relevant or not), not multi-class")
        self.relevance_threshold = relevance_threshold
        self.type_threshold = type_threshold

    def analyse(self, text: str, *, language: str | None = None) -> PostAnalysis:
        """One post; `language` is a hint used when it is one of the supported languages."""
        return self.analyse_many([text], languages=[language])[0]

    def analyse_many(
        self, texts: Sequence[str], *, languages: Sequence[str | None] | None = None
    ) -> list[PostAnalysis]:
        """Many posts, in order: the models and the language detector run once on the whole batch;
        the word lists and urgency rules (a few tens of microseconds each) run per post."""
        if isinstance(texts, str | bytes):
            raise ValueError("expected a list of texts, got a single string: wrap it in a list")
        if languages is not None and len(languages) != len(texts):
            raise ValueError(f"got {len(texts)} texts but {len(languages)} language hints")
        posts = [_clean(t) for t in texts]
        if not posts:
            return []
        hints = [_language_hint(h) for h in languages] if languages is not None else [None] * len(posts)
        undetected = [i for i, h in enumerate(hints) if h is None]
        detected = detect_languages([posts[i] for i in undetected]) if undetected else []
        codes: list[str | None] = list(hints)
        for i, guess in zip(undetected, detected, strict=True):
            codes[i] = None if guess.code == "other" else guess.code

        lexical = [score_text(post, code) for post, code in zip(posts, codes, strict=True)]
        insecurity = np.array([lex.insecurity for lex in lexical])
        model = self.relevance.predict_proba(posts)
        incidents = [incident_words(post) for post in posts]
        incident = np.array([1.0 if found else 0.0 for found in incidents])
        relevance = 1.0 - (1.0 - model) * (1.0 - LEXICON_WEIGHT * insecurity) * (1.0 - INCIDENT_WEIGHT * incident)
        relevance[[not _WORDS.search(p) for p in posts]] = 0.0  # emoji, digits, blanks: nothing to go on
        relevant = relevance >= self.relevance_threshold
        words = self.relevance.explain(posts, top=_RELEVANCE_CUES)
        types, confidences = self._types(posts, relevant)

        out: list[PostAnalysis] = []
        for i, post in enumerate(posts):
            urgency = assess_urgency(post, language=codes[i])
            urgent = tuple(w for cue in urgency.cues for w in cue.words)
            shown = words[i] if relevant[i] else ()
            out.append(
                PostAnalysis(
                    language=codes[i],
                    relevant=bool(relevant[i]),
                    relevance=round(float(relevance[i]), 4),
                    alert_type=types[i],
                    alert_confidence=confidences[i],
                    urgency=urgency.level,
                    insecurity=lexical[i].insecurity,
                    sentiment=lexical[i].sentiment,
                    cues=_distinct((*shown, *incidents[i], *lexical[i].cues, *urgent)),
                )
            )
        return out

    def _types(self, posts: list[str], relevant: np.ndarray) -> tuple[list[str | None], list[float]]:
        """Top category and its probability for the relevant posts (one classifier call for all)."""
        types: list[str | None] = [None] * len(posts)
        confidences = [0.0] * len(posts)
        chosen = np.flatnonzero(relevant)
        if self.classifier is None or not chosen.size:
            return types, confidences
        proba = self.classifier.predict_proba([posts[i] for i in chosen])
        labels = self.classifier.labels_
        for row, i in zip(proba, chosen, strict=True):
            j = int(np.argmax(row))
            confidences[i] = round(float(row[j]), 4)
            if row[j] >= self.type_threshold and posts[i].strip():
                types[i] = labels[j]
        return types, confidences
