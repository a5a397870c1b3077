"""Feeling of insecurity and sentiment of a post, from word lists in five languages.

Why word lists and not a model: the perceived-insecurity layer must be able to say why a post counts
("j'ai peur", "'s nachts"), an analyst must be able to fix a list the day it misfires, and there is no
labelled set of residents' posts about feeling unsafe to train on. The lists are in
`data/insecurity_words.json` and `data/sentiment_words.json` (their `_about` says the entry syntax).

How a text is scored:

- It is folded (lowercase, accents and ligatures removed, typographic apostrophes made plain) and
  every list entry is matched with word boundaries; where matches overlap, the longest wins ("not
  safe" over "safe", "mal iluminado" over "mal").
- A match is **negated** when a negator ("not", "pas", "niet", "non", "no", "n't"…) is among the
  NEGATION_WINDOW words before it in the same clause (a comma, a full stop or "but" / "mais" /
  "maar" / "ma" / "pero" ends a clause). It is **intensified** (× INTENSITY) by an intensifier
  ("very", "très", "heel", "molto", "muy"…) among the two words before it.
- Insecurity: fear words count WEIGHTS["fear"], and so does a negated "dare" verb ("I don't dare",
  "je n'ose plus", "ik durf 's avonds niet": the negation may follow the verb); threat words (dodgy,
  poorly lit, followed me…) count WEIGHTS["threat"], reassurance ("I feel safe") WEIGHTS["safe"]; a
  negated reassurance ("don't feel safe", "pas rassurée", "niet veilig") counts as fear, a negated
  fear or threat ("not scared at all") as NEGATED_FEAR. A night or dark cue adds WEIGHTS["night"]
  once, only next to a fear or threat cue (a concert at night is not frightening). The sum s gives
  insecurity = 1 − exp(−max(s, 0)): one fear word 0.63, with "at night" 0.75.
- Sentiment: positive words +1, negative words −1, fear and threat cues minus their weight,
  reassurance plus its weight; intensified × INTENSITY, negated × −0.5 ("not good" is mildly
  negative); sentiment = tanh(sum / 2).

Limits: no irony or sarcasm ("great, another night too scared to go out" still reads as fearful,
but "oh I feel SO safe here" reads as safe), no emoji, negation only before a word, reported speech
counts ("she said she was afraid"), and the lists are one team's; a fifth of the posts of a city will
use words they do not have.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

_DATA = Path(__file__).resolve().parent / "data"

#: Contribution of one matched cue, before intensifiers and negation.
WEIGHTS: Final = {"fear": 1.0, "threat": 0.6, "safe": -0.6, "night": 0.4}
#: What a negated fear or threat cue adds to insecurity ("not scared at all" reassures a little).
NEGATED_FEAR: Final = -0.3
#: Multiplier of a cue right after an intensifier ("very scared", "j'ai trop peur").
INTENSITY: Final = 1.5
#: Words looked at before a cue, within its clause, for a negator.
NEGATION_WINDOW: Final = 3
_INTENSIFIER_WINDOW: Final = 2
_KINDS: Final = ("fear", "dare", "threat", "safe", "night", "positive", "negative")
_TOKEN = re.compile(r"[^\W\d_]+(?:'t)?")
_CLAUSE_END = re.compile(r"[.!?;:,()\n\"]")
_FOLD_SPECIAL: Final = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LexiconScore:
    """A text's insecurity (0–1), sentiment (−1…+1) and the insecurity cues as written, in text order."""

    insecurity: float
    sentiment: float
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    always: dict[str, re.Pattern[str]]
    only_in: dict[tuple[str, str], re.Pattern[str]]
    negators: frozenset[str]
    intensifiers: frozenset[str]
    breakers: frozenset[str]


def _compile(entries: list[str]) -> re.Pattern[str] | None:
    parts = []
    for entry in sorted(set(entries), key=lambda e: (-len(e), e)):
        stem = entry.endswith("*")
        words = entry.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"\w*" if stem else ""))
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None


@functools.cache
def _lexicon() -> _Lexicon:
    """The word lists, compiled once per process."""
    tables = {
        **json.loads((_DATA / "insecurity_words.json").read_text(encoding="utf-8")),
        **json.loads((_DATA / "sentiment_words.json").read_text(encoding="utf-8")),
    }
    always: dict[str, re.Pattern[str]] = {}
    only_in: dict[tuple[str, str], re.Pattern[str]] = {}
    for kind in _KINDS:
        shared = [e for entries in tables[kind].values() for e in entries if not e.startswith("=")]
        if (pattern := _compile(shared)) is not None:
            always[kind] = pattern
        for lang, entries in tables[kind].items():
            if (pattern := _compile([e[1:] for e in entries if e.startswith("=")])) is not None:
                only_in[kind, lang] = pattern

    def words(kind: str) -> frozenset[str]:
        return frozenset(w for ws in tables[kind].values() for w in ws)

    return _Lexicon(always, only_in, words("negators"), words("intensifiers"), words("breakers"))


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    out: list[str] = []
    for c in ch.lower():
        c = _FOLD_SPECIAL.get(c, c)
        out.extend(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return "".join(out)


def fold(text: str) -> tuple[str, list[int] | None]:
    """Lowercase, accent-free copy of `text` and, per folded character, its index in `text` (None
    when every character kept its place: plain ASCII)."""
    if text.isascii():
        return text.lower().replace("`", "'"), None
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(parts), offsets


def _context(folded: str, start: int, lex: _Lexicon) -> list[re.Match[str]]:
    """The words of the cue's clause before it (at most 80 characters back)."""
    lo = max(0, start - 80)
    before = folded[lo:start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        lo += ends[-1].end()
    tokens = list(_TOKEN.finditer(folded, lo, start))
    cut = max((i + 1 for i, t in enumerate(tokens) if t.group() in lex.breakers), default=0)
    return tokens[cut:]


def _is_negator(word: str, lex: _Lexicon) -> bool:
    return word in lex.negators or word.endswith("n't")


def _modifiers(folded: str, start: int, lex: _Lexicon) -> tuple[int | None, bool]:
    """(where the negator before a cue starts, or None; whether an intensifier precedes it)."""
    tokens = _context(folded, start, lex)
    negator = next((t.start() for t in tokens[-NEGATION_WINDOW:] if _is_negator(t.group(), lex)), None)
    intensified = any(t.group() in lex.intensifiers for t in tokens[-_INTENSIFIER_WINDOW:])
    return negator, intensified


def _negated_after(folded: str, end: int, lex: _Lexicon) -> int | None:
    """Where a negator within NEGATION_WINDOW + 1 words after a "dare" verb, in its clause, ends
    ("ik durf 's avonds niet"), or None."""
    clause = _CLAUSE_END.search(folded, end, end + 80)
    stop = clause.start() if clause else min(len(folded), end + 80)
    for k, token in enumerate(_TOKEN.finditer(folded, end, stop)):
        if k > NEGATION_WINDOW or token.group() in lex.breakers:
            return None
        if _is_negator(token.group(), lex):
            return token.end()
    return None


def _matches(folded: str, language: str | None, lex: _Lexicon) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every entry found, longest first where matches overlap, in text order."""
    found: list[tuple[str, int, int]] = []
    for kind in _KINDS:
        patterns = [lex.always.get(kind), lex.only_in.get((kind, language or ""))]
        for pattern in patterns:
            if pattern is not None:
                found.extend((kind, m.start(), m.end()) for m in pattern.finditer(folded) if m.end() > m.start())
    found.sort(key=lambda m: (m[1], -(m[2] - m[1]), _KINDS.index(m[0])))
    kept: list[tuple[str, int, int]] = []
    end = -1
    for match in found:
        if match[1] >= end:
            kept.append(match)
            end = match[2]
    return kept


def score_text(text: str, language: str | None = None) -> LexiconScore:
    """Insecurity, sentiment and insecurity cues of one text (see the module docstring for the rules).

    `language` ("en", "fr", "nl", "it", "es"; None when unknown) switches on the words that mean
    something else in another language; every other entry of every language is always looked for,
    since posts mix languages. Never raises on a str; callers cut very long texts first.
    """
    lex = _lexicon()
    folded, offsets = fold(text)
    insecurity = sentiment = 0.0
    cues: list[tuple[int, int]] = []
    nights: list[tuple[int, int]] = []
    for kind, start, end in _matches(folded, language, lex):
        if kind == "night":
            nights.append((start, end))
            continue
        negator, intensified = _modifiers(folded, start, lex)
        gain = INTENSITY if intensified else 1.0
        if kind == "dare":  # "I don't dare", "je n'ose plus", "ik durf niet": fear; a plain "dare" is nothing
            after = _negated_after(folded, end, lex) if negator is None else None
            if negator is None and after is None:
                continue
            kind, start, end = "fear", start if negator is None else negator, end if after is None else after
            negator = None
        if kind in ("positive", "negative"):
            value = gain * (1.0 if kind == "positive" else -1.0)
            sentiment += -0.5 * value if negator is not None else value
            continue
        if negator is None:
            weight = gain * WEIGHTS[kind]
            if kind != "safe":
                cues.append((start, end))
        elif kind == "safe":  # "don't feel safe", "pas rassurée": fear, shown with its negation
            weight = gain * WEIGHTS["fear"]
            cues.append((negator, end))
        else:
            weight = NEGATED_FEAR
        insecurity += weight
        sentiment -= weight
    if cues and nights:
        insecurity += WEIGHTS["night"]
        sentiment -= WEIGHTS["night"]
        cues.append(nights[0])
    cues.sort()
    words = tuple(dict.fromkeys(_original(text, offsets, s, e) for s, e in cues))
    return LexiconScore(
        insecurity=round(1.0 - math.exp(-max(insecurity, 0.0)), 4),
        sentiment=round(math.tanh(sentiment / 2.0), 4),
        cues=words,
    )


def _original(text: str, offsets: list[int] | None, start: int, end: int) -> str:
    """The stretch of the original text behind folded[start:end], as written."""
    if offsets is None:
        return text[start:end]
    return text[offsets[start] : offsets[end - 1] + 1]
