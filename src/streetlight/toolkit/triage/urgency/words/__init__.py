"""The urgency word lists, one module per language, assembled here into the tables `assess` matches.

Patterns are written for accent-folded lowercase text: "é" -> "e", "ß" -> "ss", "’" -> "'".
A literal space stands for any run of whitespace. Alternatives are tried longest first.
Every pattern is matched as whole words: no word character right before or after it.

Each language module (`en`, `fr`, `nl`, `it`, `es`, `de`) holds:

- `CUES`: its cue patterns per kind, always looked for, since reports mix languages;
- `HOMOGRAPHS`: cue patterns that are ordinary words in another of the six languages;
- `NEGATORS`, `NEGATOR_HOMOGRAPHS`: words that negate a cue they precede;
- `NEGATION_BREAKERS`: verbs of stopping, after which a negation no longer applies to the cue.

To add a language: write its module with those five names and add it to `_LANGUAGES`.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Final, get_args

from ..cues import CueKind
from . import de, en, es, fr, it, nl

_LANGUAGES: Final[dict[str, ModuleType]] = {"en": en, "fr": fr, "nl": nl, "it": it, "es": es, "de": de}
_KINDS: Final[tuple[CueKind, ...]] = get_args(CueKind)

LANGS: Final = tuple(_LANGUAGES)

#: kind -> language -> patterns, kinds and languages in a fixed order (CueKind's, then LANGS').
CUES: Final[dict[CueKind, dict[str, tuple[str, ...]]]] = {
    kind: {lang: words.CUES[kind] for lang, words in _LANGUAGES.items() if kind in words.CUES} for kind in _KINDS
}

# Words that are cues in one language and ordinary words in another ("mes" is a knife in Dutch
# and "my" in French): used only when the caller says the text is in that language.
HOMOGRAPHS: Final[dict[CueKind, dict[str, tuple[str, ...]]]] = {
    kind: {lang: words.HOMOGRAPHS[kind] for lang, words in _LANGUAGES.items() if kind in words.HOMOGRAPHS}
    for kind in _KINDS
    if any(kind in words.HOMOGRAPHS for words in _LANGUAGES.values())
}

NEGATORS: Final[frozenset[str]] = frozenset().union(*(words.NEGATORS for words in _LANGUAGES.values()))
#: Negators that are ordinary words in another of the six languages ("ne" is Italian "of it",
#: "mai" French "May"): only counted when the text is known to be in that language.
NEGATOR_HOMOGRAPHS: Final[dict[str, frozenset[str]]] = {
    lang: words.NEGATOR_HOMOGRAPHS for lang, words in _LANGUAGES.items() if words.NEGATOR_HOMOGRAPHS
}
#: "did not stop hitting me", "il n'arrête pas de frapper": the negation is of stopping, not of the cue.
NEGATION_BREAKERS: Final[frozenset[str]] = frozenset().union(
    *(words.NEGATION_BREAKERS for words in _LANGUAGES.values())
)

# Short words of all six languages in one pattern each (en, fr, nl, it, es, de in turn).
#: Where a clause ends: punctuation, or a "but" ("but|however|though", "mais", "maar", "ma", "pero", "aber|doch").
CLAUSE_END: Final = re.compile(r"[.!?;:,()\[\]\n]|\b(?:but|however|though|mais|maar|ma|pero|aber|doch)\b")
#: A cue answered with a negation right after it: "weapon: none", "arme ? aucune", "Waffe: keine".
AFTER_NEGATION: Final = re.compile(
    r"\s*[:?]\s*(?:none|no|nope|aucune?|non|geen|nee|nessun[oa]?|ningun[oa]?|keine?|nein)\b"
)

__all__ = [
    "AFTER_NEGATION",
    "CLAUSE_END",
    "CUES",
    "HOMOGRAPHS",
    "LANGS",
    "NEGATION_BREAKERS",
    "NEGATORS",
    "NEGATOR_HOMOGRAPHS",
]
