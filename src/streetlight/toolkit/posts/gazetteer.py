"""Geotagging by gazetteer: which of the city's places a post names, and how sure we are.

Matching works on folded words (case and accents ignored, so "rue du Marche" finds "rue du Marché")
through tries of word sequences, so its cost grows with the post, not with the gazetteer: a
5,000-place city costs about what a 50-place one does. Four ways to name a place, in decreasing
confidence:

1. its full name ("Piazza dei Tigli") or a proper alias ("place des Tilleuls", "Lindenplein");
2. its core after another street-type word of the five languages ("place Tigli", "rue Roma",
   "Porta Nuova station", "Romastraat");
3. its core alone, capitalised ("near Tigli");
4. an alias written in lower case in the gazetteer: a common phrase ("la gare", "the station").

Words only match whole ("Roma" never inside "Romantic"), the longest span wins, and a span that
fits several places equally well shares the confidence between them.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely.geometry

from .model import coordinate
from .words import (
    ARTICLES,
    CONNECTORS,
    NL_SUFFIX_TUPLE,
    NL_SUFFIXES,
    POST_CUES,
    PRE_CUES,
    fold,
    tokens,
    words,
)

# Confidence of each way of naming a place (see the module's docstring).
FULL_NAME = 0.95
ALIAS = 0.85
NAME_WITHOUT_ARTICLE = 0.8
TYPED_SAME_FAMILY = 0.8
TYPED_OTHER_FAMILY = 0.5
BARE_CORE = 0.45
BARE_CORE_WORDS = 0.55
COMMON_PHRASE = 0.4
#: A one-word name written in lower case in the post ("collina") is probably the common word.
LOWERCASE_ONE_WORD = 0.5
#: A street-type word of another language than the post's ("via" in English means "through").
FOREIGN_CUE = 0.9
_END = ""  # a trie node's key for the entries ending there (a word is never empty)


class GazetteerError(ValueError):
    """The gazetteer file or rows are unusable; str() names the row and the field."""


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    lat: float
    lon: float
    area: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    surface: str
    start: int
    end: int
    confidence: float


def _insert(trie: dict[str, Any], key: tuple[str, ...], entry: tuple[Any, ...]) -> None:
    node = trie
    for word in key:
        node = node.setdefault(word, {})
    node.setdefault(_END, []).append(entry)


def _core(key: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """(family, core words) of a typed name: "via del mercato" → (street, ("mercato",))."""
    if len(key) >= 2 and key[0] in PRE_CUES:
        rest = key[1:]
        while len(rest) > 1 and rest[0] in CONNECTORS:
            rest = rest[1:]
        return PRE_CUES[key[0]][0], rest
    if len(key) >= 2 and key[-1] in POST_CUES:
        return POST_CUES[key[-1]][0], key[:-1]
    if len(key) == 1 and key[0].endswith(NL_SUFFIX_TUPLE):
        for suffix, family in NL_SUFFIXES.items():
            if key[0].endswith(suffix) and len(key[0]) - len(suffix) >= 3:
                return family, (key[0][: -len(suffix)],)
    return None


class Gazetteer:
    """A city's named places and the matcher over them. Build with from_rows/from_csv/from_geojson."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = list(places)
        self._names: dict[str, Any] = {}  # name/alias words → (place, confidence, one word)
        self._cores: dict[str, Any] = {}  # core words → (place, family, bare confidence or 0, one word)
        for index, place in enumerate(self.places):
            self._index(index, place)

    def _index(self, index: int, place: Place) -> None:
        name = words(place.name)
        if not name:
            return
        _insert(self._names, name, (index, FULL_NAME, len(name) == 1))
        if len(name) >= 2 and name[0] in ARTICLES:
            _insert(self._names, name[1:], (index, NAME_WITHOUT_ARTICLE, len(name) == 2))
        typed = _core(name)
        if typed and typed[1]:
            family, core = typed
            bare = BARE_CORE_WORDS if len(core) > 1 else BARE_CORE if len(core[0]) >= 4 else 0.0
            _insert(self._cores, core, (index, family, bare, len(core) == 1))
        for alias in place.aliases:
            key = words(alias)
            if not key:
                continue
            common = alias == alias.lower()
            _insert(self._names, key, (index, COMMON_PHRASE if common else ALIAS, len(key) == 1 and not common))
            typed = None if common else _core(key)
            if typed and typed[1]:
                _insert(self._cores, typed[1], (index, typed[0], 0.0, len(typed[1]) == 1))

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Gazetteer:
        """Rows with name, kind, lat, lon, area and aliases ("a|b", or a list)."""
        return cls(_place(row, f"row {number}") for number, row in enumerate(rows, start=1))

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str]) -> Gazetteer:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return cls.from_rows(list(csv.DictReader(fh)))

    @classmethod
    def from_geojson(cls, obj: dict[str, Any]) -> Gazetteer:
        """Features with properties name, kind, area, aliases; a line or an area stands at a
        representative point (on the line, inside the polygon), not its centroid, which may lie outside."""
        if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
            raise GazetteerError("a gazetteer must be a GeoJSON FeatureCollection")
        rows = []
        for number, feature in enumerate(obj.get("features") or [], start=1):
            where = f"feature {number}"
            if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
                raise GazetteerError(f"{where}: not a Feature with a geometry")
            try:
                point = shapely.geometry.shape(feature["geometry"]).representative_point()
            except Exception as exc:  # shapely raises several types for bad coordinates
                raise GazetteerError(f"{where}: geometry not usable ({exc})") from None
            if point.is_empty:
                raise GazetteerError(f"{where}: empty geometry")
            rows.append({**(feature.get("properties") or {}), "lat": point.y, "lon": point.x})
        return cls(_place(row, f"feature {number}") for number, row in enumerate(rows, start=1))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Gazetteer:
        """A .csv, or a .geojson/.json FeatureCollection."""
        if os.fspath(path).lower().endswith((".geojson", ".json")):
            import json

            with open(path, encoding="utf-8-sig") as fh:
                try:
                    return cls.from_geojson(json.load(fh))
                except json.JSONDecodeError as exc:
                    raise GazetteerError(f"{os.fspath(path)}: not valid JSON: {exc.msg}") from None
        return cls.from_csv(path)

    def __len__(self) -> int:
        return len(self.places)

    # -- matching ------------------------------------------------------------------------------

    def geotag(self, text: str, language: str | None = None) -> list[PlaceMatch]:
        """The places named in `text`, best first, one match per place, spans never overlapping.
        `language` (the post's, if known) lowers street-type words of other languages."""
        folded, origin = fold(text)
        toks = tokens(folded)
        if not toks:
            return []
        spans = self._candidates(text, toks, origin, language)
        taken = [False] * len(toks)
        best: dict[int, PlaceMatch] = {}
        for (i, j), scores in sorted(spans.items(), key=lambda kv: (kv[0][0] - kv[0][1], -max(kv[1].values()), kv[0])):
            if any(taken[i:j]):
                continue
            top = max(scores.values())
            tied = sorted(place for place, score in scores.items() if score >= top - 1e-9)
            for k in range(i, j):
                taken[k] = True
            start = toks[i][1] if origin is None else origin[toks[i][1]]
            end = toks[j - 1][2] if origin is None else origin[toks[j - 1][2] - 1] + 1
            match = PlaceMatch(self.places[tied[0]], text[start:end], start, end, round(top / len(tied), 4))
            if tied[0] not in best or best[tied[0]].confidence < match.confidence:
                best[tied[0]] = match
        return sorted(best.values(), key=lambda m: (-m.confidence, m.start))

    def best(self, text: str, language: str | None = None) -> PlaceMatch | None:
        matches = self.geotag(text, language)
        return matches[0] if matches else None

    def _candidates(
        self, text: str, toks: list[tuple[str, int, int]], origin: list[int] | None, language: str | None
    ) -> dict[tuple[int, int], dict[int, float]]:
        """Every (first word, past-last word) span that names a place → {place: confidence}."""
        spans: dict[tuple[int, int], dict[int, float]] = {}
        n = len(toks)

        def add(i: int, j: int, place: int, score: float) -> None:
            scores = spans.setdefault((i, j), {})
            if score > scores.get(place, 0.0):
                scores[place] = score

        def capitalised(i: int) -> bool:
            at = toks[i][1] if origin is None else origin[toks[i][1]]
            return text[at].isupper()

        def cue_weight(cue: tuple[str, frozenset[str]]) -> float:
            return FOREIGN_CUE if language and language not in cue[1] else 1.0

        def typed(i: int, j: int, entries: list[tuple[int, str, float, bool]], cue: tuple[str, frozenset[str]]) -> None:
            for place, family, _bare, _one in entries:
                same = TYPED_SAME_FAMILY if family == cue[0] else TYPED_OTHER_FAMILY
                add(i, j, place, same * cue_weight(cue))

        for i in range(n):
            word = toks[i][0]
            node = self._names.get(word)
            j = i
            while node is not None:
                j += 1
                for place, score, one_word in node.get(_END, ()):
                    add(i, j, place, score if not one_word or capitalised(i) else score * LOWERCASE_ONE_WORD)
                node = node.get(toks[j][0]) if j < n else None
            node = self._cores.get(word)
            j = i
            while node is not None:
                j += 1
                entries = node.get(_END, ())
                for place, _family, bare, one_word in entries:
                    if bare and (not one_word or capitalised(i)):
                        add(i, j, place, bare)
                if entries and j < n and toks[j][0] in POST_CUES:
                    typed(i, j + 1, entries, POST_CUES[toks[j][0]])
                node = node.get(toks[j][0]) if j < n else None
            cue = PRE_CUES.get(word)
            if cue is not None:
                k = i + 1
                while k < n:
                    node = self._cores.get(toks[k][0])
                    j = k
                    while node is not None:
                        j += 1
                        if _END in node:
                            typed(i, j, node[_END], cue)
                        node = node.get(toks[j][0]) if j < n else None
                    if toks[k][0] not in CONNECTORS or k - i > 3:
                        break
                    k += 1
            if word.endswith(NL_SUFFIX_TUPLE):
                self._compound(i, word, typed)
        return spans

    def _compound(self, i: int, word: str, typed: Any) -> None:
        """ "Romastraat", "Tigliplein": a core with a Dutch street type written onto it."""
        for suffix, family in NL_SUFFIXES.items():
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 3:
                for candidate in (stem, stem[:-1]) if stem.endswith("s") else (stem,):
                    node = self._cores.get(candidate)
                    if node and _END in node:
                        typed(i, i + 1, node[_END], (family, frozenset({"nl"})))


def _place(row: Mapping[str, Any], where: str) -> Place:
    name = row.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: no name")
    lat, lon = coordinate(row.get("lat"), 90.0), coordinate(row.get("lon"), 180.0)
    if lat is None or lon is None:
        raise GazetteerError(f"{where} ({name}): lat and lon must be numbers on the globe")
    aliases = row.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    if not isinstance(aliases, (list, tuple)):
        raise GazetteerError(f"{where} ({name}): aliases must be a list or 'a|b' text")
    area = row.get("area")
    return Place(
        name=name.strip(),
        kind=str(row.get("kind") or "place").strip(),
        lat=lat,
        lon=lon,
        area=str(area).strip() if area not in (None, "") else None,
        aliases=tuple(str(a).strip() for a in aliases if str(a).strip()),
    )
