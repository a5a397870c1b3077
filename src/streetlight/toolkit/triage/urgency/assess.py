"""Matching the word lists against a text: folding, negation, overlapping matches and the level rule."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from .cues import HARM_KINDS, WEIGHTS, Cue, CueKind, Urgency, UrgencyLevel
from .words import AFTER_NEGATION, CLAUSE_END, CUES, HOMOGRAPHS, LANGS, NEGATION_BREAKERS, NEGATOR_HOMOGRAPHS, NEGATORS

#: Only the first 50,000 characters are scanned: an emergency is not at the end of a 100 kB paste.
MAX_CHARS: Final = 50_000
#: Words looked at before a cue, within its clause, for a negation ("no weapon", "pas d'arme").
NEGATION_WINDOW: Final = 3

_NEGATABLE: Final = frozenset(
    {"danger_now", "weapon", "injury", "violence", "sexual_violence", "threat_to_life", "child"}
)
_TOKEN = re.compile(r"[^\W\d_]+(?:'t)?|\d+")

_FOLD_SPECIAL: Final = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'",
}  # fmt: skip


def _compile(fragments: Iterable[str]) -> re.Pattern[str] | None:
    frags = sorted(dict.fromkeys(fragments), key=len, reverse=True)  # stable: same regex in every process
    if not frags:
        return None
    body = "|".join(f.replace(" ", r"\s+") for f in frags)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


_ALWAYS: Final[dict[CueKind, re.Pattern[str]]] = {
    kind: pattern
    for kind, by_lang in CUES.items()
    if (pattern := _compile(f for frags in by_lang.values() for f in frags)) is not None
}
_ONLY_IN: Final[dict[tuple[CueKind, str], re.Pattern[str]]] = {
    (kind, lang): pattern
    for kind, by_lang in HOMOGRAPHS.items()
    for lang, frags in by_lang.items()
    if (pattern := _compile(frags)) is not None
}


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    out: list[str] = []
    for c in ch.lower():
        c = _FOLD_SPECIAL.get(c, c)
        out.extend(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return "".join(out)


def _fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Lowercase, accent-free copy of `text` and, per folded character, its index in `text`.

    The offsets are None when folding kept every position (plain ASCII), the common case.
    """
    if text.isascii():
        return text.lower().translate({0x60: "'"}), None
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(parts), offsets


def _negated(folded: str, start: int, end: int, negators: frozenset[str]) -> bool:
    """True when a negator sits within NEGATION_WINDOW words before the cue in the same clause,
    or the cue is answered with a negation right after it ("weapon: none")."""
    if AFTER_NEGATION.match(folded, end):
        return True
    before = folded[max(0, start - 120) : start]
    clause_ends = list(CLAUSE_END.finditer(before))
    if clause_ends:
        before = before[clause_ends[-1].end() :]
    tokens = _TOKEN.findall(before)
    if any(t in NEGATION_BREAKERS for t in tokens[-NEGATION_WINDOW - 2 :]):
        return False
    window = tokens[max(0, len(tokens) - NEGATION_WINDOW) :]
    return any(t in negators or t.endswith("n't") for t in window)


def _level(kinds: frozenset[CueKind]) -> UrgencyLevel:
    harm = kinds & HARM_KINDS
    if (
        "danger_now" in kinds
        or (harm and "ongoing" in kinds)
        or ("weapon" in kinds and kinds & {"injury", "threat_to_life"})
    ):
        return "immediate"
    return "high" if harm else "normal"


def assess_urgency(text: str, language: str | None = None) -> Urgency:
    """Urgency cues in `text` and the level they add up to.

    Level rule, in order:
      - "immediate": danger now ("he is still here", "il me suit", "hilfe!"); or any harm cue
        together with an "ongoing" time marker ("right now", "en ce moment"); or a weapon together
        with an injury or a threat to life.
      - "high": any harm cue alone: weapon, injury, violence, sexual violence, threat to life.
      - "normal": anything else. "child" and "repeat_victim" never raise the level on their own
        ("kids playing", "the lamp is broken again"); they add to the score, which orders reports
        within a level: the sum of WEIGHTS over the distinct kinds found.

    `language` ("en", "fr", "nl", "it", "es", "de"; None or "other" when unknown) switches on the
    words that mean something else in another of the six languages (Dutch "mes" is a knife,
    French "mes" is "my"); every unambiguous word of all six languages is always looked for,
    since reports mix languages. A cue preceded within its clause by a negation ("no weapon",
    "pas d'arme", "geen wapen", "keine Waffe") is dropped. Only the first MAX_CHARS characters are
    read; spans always refer to the text passed in.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    head = text[:MAX_CHARS]
    folded, offsets = _fold_with_offsets(head)
    lang = language if language in LANGS else None
    negators = NEGATORS | NEGATOR_HOMOGRAPHS.get(lang or "", frozenset())

    patterns: list[tuple[CueKind, re.Pattern[str]]] = list(_ALWAYS.items())
    if lang is not None:
        patterns += [(kind, p) for (kind, plang), p in _ONLY_IN.items() if plang == lang]

    found: set[tuple[CueKind, int, int]] = set()
    for kind, pattern in patterns:
        for m in pattern.finditer(folded):
            fs, fe = m.span()
            if fs == fe or (kind in _NEGATABLE and _negated(folded, fs, fe, negators)):
                continue
            found.add((kind, fs, fe) if offsets is None else (kind, offsets[fs], offsets[fe - 1] + 1))

    by_kind: dict[CueKind, list[tuple[int, int]]] = {}
    for kind, start, end in _drop_nested(found):
        by_kind.setdefault(kind, []).append((start, end))
    cues = tuple(
        Cue(kind, tuple(head[s:e] for s, e in spans), tuple(spans))
        for kind, spans in sorted(by_kind.items(), key=lambda kv: (kv[1][0], kv[0]))
    )
    kinds = frozenset(by_kind)
    score = round(sum(WEIGHTS[k] for k in kinds), 2)
    return Urgency(_level(kinds), score, cues)


def _drop_nested(found: Iterable[tuple[CueKind, int, int]]) -> list[tuple[CueKind, int, int]]:
    """Matches in text order, one per stretch of text and kind: "arme" inside "arme à feu" is the
    same word, and two languages' lists matching the same word count it once."""
    ordered = sorted(found, key=lambda m: (m[1], -(m[2] - m[1]), m[0]))
    kept: list[tuple[CueKind, int, int]] = []
    last_end: dict[CueKind, int] = {}
    for kind, start, end in ordered:
        if end <= last_end.get(kind, -1):
            continue
        kept.append((kind, start, end))
        last_end[kind] = max(end, last_end.get(kind, -1))
    return kept
