"""Turn models into the plain dicts the API and the Open311 server return."""

from __future__ import annotations

from typing import Any

from .models import STATUS_CHOICES, Category, Message, Report, StatusChange
from .selectors import guidance_for

STATUS_LABELS = dict(STATUS_CHOICES)


def category_dict(category: Category) -> dict[str, Any]:
    text = category.text()
    return {
        "code": category.code,
        "parent": category.parent.code if category.parent else None,
        "kind": category.kind,
        "sensitive": category.sensitive,
        "name": text.name if text else category.code,
        "help": text.help if text else "",
        "keywords": [k.strip() for k in (text.keywords if text else "").split(",") if k.strip()],
        "guidance": guidance_for(category=category),
    }


def status_dict(change: StatusChange) -> dict[str, Any]:
    return {
        "status": change.to_status,
        "label": str(STATUS_LABELS.get(change.to_status, change.to_status)),
        "at": change.at,
        "note": change.public_note,
    }


def followup_dict(report: Report, history: list[StatusChange], messages: list[Message]) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "category": report.category.code,
        "category_name": report.category.name(),
        "status": report.status,
        "status_label": str(STATUS_LABELS.get(report.status, report.status)),
        "received_at": report.created_at,
        "history": [status_dict(c) for c in history],
        "messages": [{"author": m.author_kind, "body": m.body, "at": m.at} for m in messages],
    }
