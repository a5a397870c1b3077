"""Words: a short description of each report in the reporter's language (en, it, fr, nl, es).

The phrases are data, in `demo/data/description_phrases.json`: places by setting, parts of the
day, sentence templates, closing sentences by family, and what happened by sub-category. Dutch
templates keep the time at the end: fronting it would need verb-second inversion of the clause.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np

from .profiles import CategoryLeaf

Phrases = tuple[str, ...]

# Local hour -> part of day: 0 morning (06-11), 1 afternoon (12-17), 2 evening (18-21), 3 night.
_PART_OF_DAY: Final[tuple[int, ...]] = (3,) * 6 + (0,) * 6 + (1,) * 6 + (2,) * 4 + (3,) * 2


@dataclass(frozen=True)
class PhraseBook:
    places: Mapping[str, Mapping[str, Phrases]]  # setting -> language -> places
    when: Mapping[str, Phrases]  # language -> (morning, afternoon, evening, night)
    templates: Mapping[str, Phrases]  # language -> sentence templates
    extras: Mapping[str, Mapping[str, Phrases]]  # family -> language -> closing sentences
    clauses: Mapping[str, Mapping[str, Phrases]]  # sub-category -> language -> what happened


def _by_language(table: Mapping[str, Any]) -> dict[str, Phrases]:
    return {lang: tuple(str(p) for p in phrases) for lang, phrases in table.items()}


@functools.cache
def phrase_book() -> PhraseBook:
    """The description phrases, read from the package data once per process."""
    raw = json.loads(
        resources.files("streetlight.demo").joinpath("data", "description_phrases.json").read_text("utf-8")
    )
    return PhraseBook(
        places={setting: _by_language(t) for setting, t in raw["places"].items()},
        when=_by_language(raw["when"]),
        templates=_by_language(raw["templates"]),
        extras={family: _by_language(t) for family, t in raw["extras"].items()},
        clauses={code: _by_language(t) for code, t in raw["clauses"].items()},
    )


def _around(lang: str, hour: int) -> str:
    """'Around 23:00' in each language, with the words each uses for midnight and one o'clock."""
    if lang == "en":
        return "around midnight" if hour == 0 else f"around {hour}:00"
    if lang == "fr":
        return "vers minuit" if hour == 0 else f"vers {hour} h"
    if lang == "nl":
        return "rond middernacht" if hour == 0 else f"rond {hour} uur"
    if lang == "it":
        return {0: "verso mezzanotte", 1: "verso l'una"}.get(hour, f"verso le {hour}")
    return {0: "hacia medianoche", 1: "sobre la una"}.get(hour, f"sobre las {hour}")


def describe(
    rng: np.random.Generator,
    leaf: CategoryLeaf,
    lang: str,
    local_hour: int,
    extras_family: str,
) -> str:
    book = phrase_book()
    clauses = book.clauses.get(leaf.code, {}).get(lang)
    if not clauses:  # a category the demo texts do not know: fall back to its own name
        clauses = ((leaf.names.get(lang) or leaf.names.get("en") or leaf.code).lower(),)
    setting = leaf.spec.setting
    places = book.places.get(setting, book.places["street"])[lang]
    templates = book.templates[lang]
    what = clauses[int(rng.integers(len(clauses)))]
    place = places[int(rng.integers(len(places)))]
    when = _around(lang, local_hour) if rng.random() < 0.3 else book.when[lang][_PART_OF_DAY[local_hour]]
    extras = book.extras[extras_family][lang]
    extra = extras[int(rng.integers(len(extras)))]
    template = templates[int(rng.integers(len(templates)))]
    text = template.format(what=what, place=place, when=when, When=when[:1].upper() + when[1:], extra=extra)
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
    return text[:1].upper() + text[1:]
