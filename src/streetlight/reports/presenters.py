"""Turn models into the plain dicts the API and the Open311 server return."""

from __future__ import annotations

from typing import Any

from .models import STATUS_CHOICES, Category, Message, Report, StatusChange
from .selectors import Guidance, guidance_for

STATUS_LABELS = dict(STATUS_CHOICES)


def guidance_dict(guidance: Guidance) -> dict[str, Any]:
    text = guidance.text
    support = []
    for service, open_now in guidance.services:
        service_text = service.text()
        support.append(
            {
                "code": service.code,
                "name": service_text.name if service_text else service.code,
                "description": service_text.description if service_text else "",
                "phone": service.phone,
                "url": service.url,
                "open_now": open_now,
            }
        )
    return {
        "what_to_do_now": text.steps if text else [],
        "rights": text.rights if text else "",
        "support": support,
    }


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
        "guidance": guidance_dict(guidance_for(category=category)),
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
