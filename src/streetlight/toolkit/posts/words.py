"""The words around place names in the five languages, and text folding with a map back to the
original characters. Kept apart from the matcher so a city can read (and extend) the lists."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

STREET, SQUARE, PARK, STATION, BRIDGE = "street", "square", "park", "station", "bridge"

#: Words written before a name ("rue du Marché", "via Roma"): word → (family, languages).
PRE_CUES: dict[str, tuple[str, frozenset[str]]] = {}
#: Words written after a name ("Market Street", "Porta Nuova station").
POST_CUES: dict[str, tuple[str, frozenset[str]]] = {}


def _cues(table: dict[str, tuple[str, frozenset[str]]], family: str, language: str, words: str) -> None:
    for word in words.split():
        word = fold_word(word)
        old = table.get(word)
        table[word] = (family, (old[1] if old else frozenset()) | {language})


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def fold_word(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


for _lang, _street, _square, _park, _station, _bridge in (
    ("en", "street road lane avenue boulevard alley", "square plaza", "park garden gardens", "station", "bridge"),
    (
        "fr",
        "rue avenue boulevard allée chemin impasse quai cours ruelle route promenade",
        "place placette parvis",
        "parc jardin jardins",
        "gare station",
        "pont passerelle",
    ),
    ("nl", "straat laan weg steeg kade gracht singel dreef", "plein", "park tuin", "station", "brug"),
    (
        "it",
        "via viale corso vicolo strada lungofiume lungomare salita",
        "piazza piazzale piazzetta largo",
        "parco giardino giardini",
        "stazione fermata",
        "ponte",
    ),
    (
        "es",
        "calle avenida paseo callejón camino ronda",
        "plaza plazuela glorieta",
        "parque jardín jardines",
        "estación parada",
        "puente",
    ),
):
    for _family, _words in (
        (STREET, _street),
        (SQUARE, _square),
        (PARK, _park),
        (STATION, _station),
        (BRIDGE, _bridge),
    ):
        _cues(PRE_CUES, _family, _lang, _words)
for _lang, _words_by_family in (
    (
        "en",
        {
            STREET: "street road lane avenue boulevard",
            SQUARE: "square plaza",
            PARK: "park gardens",
            STATION: "station",
            BRIDGE: "bridge",
        },
    ),
    ("nl", {STREET: "straat laan weg", SQUARE: "plein", PARK: "park", STATION: "station", BRIDGE: "brug"}),
):
    for _family, _words in _words_by_family.items():
        _cues(POST_CUES, _family, _lang, _words)

#: Dutch writes the street type into the name: "Marktstraat", "Lindenplein".
NL_SUFFIXES: dict[str, str] = {
    "straat": STREET,
    "laan": STREET,
    "weg": STREET,
    "steeg": STREET,
    "kade": STREET,
    "gracht": STREET,
    "singel": STREET,
    "plein": SQUARE,
    "park": PARK,
    "tuin": PARK,
    "brug": BRIDGE,
}
NL_SUFFIX_TUPLE = tuple(NL_SUFFIXES)

#: Small words between a street type and the name: "rue de la Liberté", "piazza dei Tigli".
CONNECTORS = _set(
    "de du des d la le les l del della dello delle dei degli dell di da dal dalla van het der den of the el los las"
)
#: Articles a name may start with ("Le Fornaci"): the name also matches without them ("alle Fornaci").
ARTICLES = _set("le la les l il lo i gli the de het el los las")

_TOKEN = re.compile(r"\w+")


@cache
def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """Case- and accent-insensitive form of `text`, and for each of its characters the index of the
    original character it came from (None: the same index, the common all-ASCII case)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.lower() if ch < "\x80" else _fold_char(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Words of a folded text with their spans in it."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def words(text: str) -> tuple[str, ...]:
    """A name's folded words: the key it is indexed under."""
    return tuple(token for token, _start, _end in tokens(fold(text)[0]))
