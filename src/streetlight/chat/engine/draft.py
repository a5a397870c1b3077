"""The collected answers as the ReportDraft the report form would have built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from streetlight.reports.drafts import Consent, ContactDraft, ReportDraft
from streetlight.reports.enums import LocationKind, WhenKind

from .texts import CONSENTS


def consents_answered(answers: dict[str, Any]) -> bool:
    """All six consent questions have an answer: only then may a report be filed."""
    consent = answers.get("consent", {})
    return all(isinstance(consent.get(key), bool) for key in CONSENTS)


def draft_from(answers: dict[str, Any], *, language: str) -> ReportDraft:
    consent = answers.get("consent", {})
    when = answers.get("when", {"kind": "now"})
    where = answers.get("where", {"kind": "none"})
    contact = answers.get("contact") or {}
    kind = where.get("kind", "none")
    location = {"point": LocationKind.POINT, "area": LocationKind.AREA}.get(kind, LocationKind.NONE)
    contact_draft = ContactDraft(email=contact.get("email", ""), phone=contact.get("phone", ""))
    return ReportDraft(
        category=answers.get("category", ""),
        description=answers.get("description", ""),
        language=language,
        when=WhenKind.AT if when.get("kind") == "at" else WhenKind.NOW,
        occurred_from=datetime.fromisoformat(when["at"]) if when.get("kind") == "at" else None,
        location=location,
        lat=where.get("lat"),
        lon=where.get("lon"),
        precision_m=where.get("precision"),
        area=where.get("area"),
        address=where.get("address", ""),
        consent=Consent(**{key: bool(consent.get(key)) for key in CONSENTS}),
        contact=None if contact_draft.empty or not consent.get("contact") else contact_draft,
    )
