"""What the engine reads from the rest of the platform: categories and their guidance (reports'
selectors), the active triage model's suggestions and the toolkit's urgency cues.

Feeling-of-insecurity categories are left out: they need a safety score the report form does not
ask for (residents reach them through "I feel unsafe here")."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from streetlight.reports import selectors as reports
from streetlight.reports.enums import Kind
from streetlight.reports.models import Category
from streetlight.toolkit.triage import assess_urgency, detect_language
from streetlight.triage import engine as triage_engine
from streetlight.triage import services as triage

from .types import Option

logger = logging.getLogger("streetlight.chat")


@dataclass(frozen=True)
class Suggested:
    codes: list[str]
    confident: bool


def _reportable() -> dict[str, Category]:
    return {c.code: c for c in reports.category_list() if c.kind != Kind.FEELING}


def suggest(text: str) -> Suggested:
    """The active model's best categories for `text`, most probable first. A missing or unreadable
    model gives no suggestion: the resident then picks from the list, as on the form."""
    model = triage.active_model()
    if model is None or not text.strip():
        return Suggested([], False)
    try:
        classifier = triage_engine.cached_classifier(model.checksum, bytes(model.payload))
    except Exception:
        logger.exception("chat: triage model %s cannot be read; no category suggestion", model.pk)
        return Suggested([], False)
    suggestion = classifier.suggest(text)
    allowed = _reportable()
    codes = [label for label, _p in suggestion.labels if label in allowed][:4]
    return Suggested(codes, bool(codes) and not suggestion.needs_human and codes[0] == suggestion.labels[0][0])


def urgency(text: str, language: str) -> str:
    return assess_urgency(text, language=language).level


def language_of(text: str) -> str:
    return detect_language(text).code


def name(code: str) -> str:
    category = _reportable().get(code)
    return category.name() if category else code


def exists(code: str) -> bool:
    return code in _reportable()


def main_options() -> list[Option]:
    return [Option(main.code, main.name()) for main, _children in reports.category_tree() if main.kind != Kind.FEELING]


def sub_options(main_code: str) -> list[Option]:
    for main, children in reports.category_tree():
        if main.code == main_code:
            return [Option(child.code, child.name()) for child in children]
    return []


def guidance(code: str) -> dict[str, object] | None:
    category = reports.category_get(code=code)
    return reports.guidance_for(category=category) if category else None


def area_code(place: str) -> str | None:
    """An area named exactly as the resident wrote it ("Old Town"), so the report can carry it."""
    wanted = place.strip().lower()
    return next((a.code for a in reports.area_list() if a.name.lower() == wanted), None)


def area_name(code: str) -> str:
    return next((a.name for a in reports.area_list() if a.code == code), code)
