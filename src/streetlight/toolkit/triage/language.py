"""Which of the platform's languages a report is written in, or "other".

Lingua (n-gram models, strong on short texts) restricted to the six languages residents write in
here: restricting the candidates makes short messages far more accurate than asking among 75
languages. The price is that a text in a seventh language can only be told apart by low
confidence; the structural checks below catch what lingua cannot (emoji, numbers, key-mashing).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from lingua import ConfidenceValue, Language, LanguageDetector, LanguageDetectorBuilder

LanguageCode = Literal["en", "fr", "nl", "it", "es", "de", "other"]

_LINGUA_TO_CODE: Final[dict[Language, LanguageCode]] = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr",
    Language.DUTCH: "nl",
    Language.ITALIAN: "it",
    Language.SPANISH: "es",
    Language.GERMAN: "de",
}

#: The codes detect_language can return besides "other".
SUPPORTED_LANGUAGES: Final[tuple[LanguageCode, ...]] = tuple(_LINGUA_TO_CODE.values())

#: Only the start of a text is read: 10,000 characters settle the language of any report, and
#: lingua's cost grows with length (quadratically inside one very long "word").
MAX_CHARS: Final = 10_000
#: Runs of non-space characters longer than this (URLs, base64, key-mashing) carry no language
#: signal and are dropped before detection; German compounds stay well under it.
_MAX_TOKEN: Final = 64
#: Lingua's top-minus-second confidence must reach this, else the text is "other" (lingua calls
#: it the minimum relative distance; measured equal to the gap between confidence values).
MIN_RELATIVE_DISTANCE: Final = 0.1
#: Longer texts are scored in pieces of about this many characters (see detect_language).
CHUNK_CHARS: Final = 300
#: Fewer letters than this is not a text in any language ("ok", "?!", "12345").
MIN_LETTERS: Final = 3
#: A one-word text must be recognised with at least this confidence: single words are shared
#: between languages ("help", "taxi") and lingua's guesses on them are often near-ties.
MIN_CONFIDENCE_ONE_WORD: Final = 0.6
#: Longer texts below this confidence are "other": measured on 96 short reports in the six
#: languages (lowest 0.40) against key-mashing and Polish/Swedish text (0.33-0.37).
MIN_CONFIDENCE: Final = 0.38

_LONG_TOKEN = re.compile(rf"\S{{{_MAX_TOKEN + 1},}}")
_WORD = re.compile(r"[^\W\d_]+")
_REPEATED_UNIT = re.compile(r"(.{1,3}?)\1+.{0,2}")
_VOWELS: Final = frozenset("aeiouy")
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xz]{5,}")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A language code and lingua's confidence in it, 0..1 to four decimals (0.0 for "other")."""

    code: LanguageCode
    confidence: float


_OTHER: Final = LanguageGuess("other", 0.0)
_detector: LanguageDetector | None = None
_detector_lock = threading.Lock()


def _get_detector() -> LanguageDetector:
    """Build the detector once per process, on first use.

    Preloading the six models was measured at about 10 ms with lingua 2.x, so it is done at build
    time rather than leaving the first report of a worker to pay for it.
    """
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = (
                    LanguageDetectorBuilder.from_languages(*_LINGUA_TO_CODE)
                    .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def _prepare(text: str | bytes) -> str:
    """The part of `text` worth showing lingua, as a str lingua's Rust side can always accept."""
    if isinstance(text, bytes):
        text = text[: MAX_CHARS * 4].decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
    head = text[:MAX_CHARS]
    # Lone surrogates (from a broken JSON escape) cannot cross into Rust: replace them.
    head = head.encode("utf-8", errors="replace").decode("utf-8")
    return _LONG_TOKEN.sub(" ", head)


def _fold(letters: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", letters.lower()) if not unicodedata.combining(c))


def _looks_like_gibberish(text: str) -> bool:
    """Structural reasons no language model should be asked: too few letters, control bytes,
    repeated syllables ("hdhdhd"), too few distinct letters, almost no vowels ("bnmvcx"), most
    words carrying five consonants in a row ("asdkjh zxmcnv"; German has such words, but rarely
    most of a sentence).

    Lingua has no "none of these" answer and happily gives "jjjjjjjj" 0.93 Dutch, hence these
    checks, tuned so that real reports in the six languages pass (German consonant clusters too).
    """
    words = _WORD.findall(text)
    letters = "".join(words)
    if len(letters) < MIN_LETTERS:
        return True
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r") + text.count("\ufffd")
    if controls * 10 > len(text):
        return True
    latin = "".join(f for f in (_fold(w) for w in words) if f.isascii())
    if len(latin) < len(letters) / 2:
        return False  # another script: lingua (Latin-script models only) will answer "other" itself
    repeated = sum(len(w) for w in (_fold(w) for w in words) if len(w) >= 4 and _REPEATED_UNIT.fullmatch(w))
    if repeated * 2 >= len(latin):
        return True
    if len(latin) >= 8 and len(set(latin)) <= 3:
        return True
    vowels = sum(1 for c in latin if c in _VOWELS)
    if len(latin) >= 5 and vowels < 0.2 * len(latin):
        return True
    folded = [f for f in (_fold(w) for w in words) if f.isascii()]
    return sum(1 for f in folded if _CONSONANT_RUN.search(f)) * 2 > len(folded)


def _chunks(text: str) -> list[str]:
    """Pieces of about CHUNK_CHARS characters, cut between words (the whole text when short)."""
    if len(text) <= 2 * CHUNK_CHARS:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split():
        current.append(word)
        size += len(word) + 1
        if size >= CHUNK_CHARS:
            pieces.append(" ".join(current))
            current, size = [], 0
    if current:
        pieces.append(" ".join(current))
    return pieces


def _combine(chunks: Sequence[str], values: Sequence[Sequence[ConfidenceValue]]) -> list[tuple[Language, float]]:
    """Each language's confidence averaged over the chunks, weighted by their letters, best first.

    Lingua scores a text as one bag of n-grams, where one accented French sentence can outweigh
    pages of English ("ê" is all but impossible in English); averaging per chunk makes the
    answer the language of most of the text.
    """
    if len(chunks) == 1:
        return [(v.language, v.value) for v in values[0]]
    totals: dict[Language, float] = {}
    weight_sum = 0.0
    for chunk, vals in zip(chunks, values, strict=True):
        weight = float(len(_WORD.findall(chunk)))
        weight_sum += weight
        for v in vals:
            totals[v.language] = totals.get(v.language, 0.0) + weight * v.value
    if weight_sum == 0.0:
        return []
    return sorted(((lang, total / weight_sum) for lang, total in totals.items()), key=lambda lv: -lv[1])


def _decide(text: str, ranked: Sequence[tuple[Language, float]]) -> LanguageGuess:
    if not ranked:
        return _OTHER
    top_language, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top <= 0.0 or top - second < MIN_RELATIVE_DISTANCE:
        return _OTHER
    one_word = len(_WORD.findall(text)) <= 1
    if top < (MIN_CONFIDENCE_ONE_WORD if one_word else MIN_CONFIDENCE):
        return _OTHER
    # Rounded: lingua's parallel and serial paths differ in the last bits of the same score.
    return LanguageGuess(_LINGUA_TO_CODE[top_language], round(float(top), 4))


def detect_language(text: str | bytes) -> LanguageGuess:
    """The language a report is written in: one of SUPPORTED_LANGUAGES, or "other".

    "other" covers empty, emoji-only, numeric, binary-looking and key-mashed input, texts too
    short or too evenly split to call, and scripts none of the six languages use. Mixed-language
    text gets the language of most of it: texts longer than 600 characters are scored in pieces
    of about 300 and the confidences averaged by length. Only the first MAX_CHARS (10,000)
    characters are read, so a 100 kB paste costs no more than a long letter; bytes are decoded
    as UTF-8 with replacement characters.
    """
    return detect_languages([text])[0]


def detect_languages(texts: Iterable[str | bytes]) -> list[LanguageGuess]:
    """detect_language for many texts, in order; lingua scores all their pieces on all cores at once."""
    prepared = [_prepare(t) for t in texts]
    out = [_OTHER] * len(prepared)
    keep = [i for i, p in enumerate(prepared) if not _looks_like_gibberish(p)]
    chunked = {i: _chunks(prepared[i]) for i in keep}
    flat = [c for i in keep for c in chunked[i]]
    if not flat:
        return out
    detector = _get_detector()
    values = (
        [detector.compute_language_confidence_values(flat[0])]
        if len(flat) == 1
        else detector.compute_language_confidence_values_in_parallel(flat)
    )
    pos = 0
    for i in keep:
        n = len(chunked[i])
        out[i] = _decide(prepared[i], _combine(chunked[i], values[pos : pos + n]))
        pos += n
    return out
