"""Load a city's agencies, routing rules and deadlines from one JSON document (create or update)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import transaction

from streetlight.audit import services as audit
from streetlight.reports.models import Area, Category

from .enums import AgencyKind, ConsentScope, DeadlineUnit
from .models import Agency, DeadlinePolicy, RoutingRule


class RoutingDataError(ValueError):
    """The document names something that does not exist or is not allowed; the message says what."""


def _time(value: str | None, where: str) -> time | None:
    if value is None:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise RoutingDataError(f"{where}: {value!r} is not a time like 22:00") from exc


def _agencies(items: list[dict[str, Any]]) -> None:
    for i, item in enumerate(items):
        where = f"agencies[{i}]"
        if item.get("kind") not in AgencyKind.values:
            raise RoutingDataError(f"{where}: kind must be one of {', '.join(AgencyKind.values)}")
        if item.get("consent_scope") not in ConsentScope.values:
            raise RoutingDataError(f"{where}: consent_scope must be one of {', '.join(ConsentScope.values)}")
        Agency.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "consent_scope": item["consent_scope"],
                "receives_unrouted": bool(item.get("receives_unrouted")),
                "email": item.get("email", ""),
                "language": item.get("language", "en"),
            },
        )


def _rules(items: list[dict[str, Any]]) -> None:
    for i, item in enumerate(items):
        where = f"rules[{i}] ({item.get('name', '?')})"
        categories = list(Category.objects.filter(code__in=item.get("categories", [])))
        if missing := set(item.get("categories", [])) - {c.code for c in categories}:
            raise RoutingDataError(f"{where}: unknown categories {sorted(missing)}")
        areas = list(Area.objects.filter(code__in=item.get("areas", [])))
        if missing := set(item.get("areas", [])) - {a.code for a in areas}:
            raise RoutingDataError(f"{where}: unknown areas {sorted(missing)}")
        agencies = list(Agency.objects.filter(code__in=item["agencies"]))
        if missing := set(item["agencies"]) - {a.code for a in agencies}:
            raise RoutingDataError(f"{where}: unknown agencies {sorted(missing)}")
        start, end = _time(item.get("time_from"), where), _time(item.get("time_to"), where)
        if (start is None) != (end is None):
            raise RoutingDataError(f"{where}: give both time_from and time_to, or neither")
        rule, _created = RoutingRule.objects.update_or_create(
            name=item["name"],
            defaults={
                "time_from": start,
                "time_to": end,
                "sensitivity": item.get("sensitivity", "any"),
                "active": item.get("active", True),
            },
        )
        rule.categories.set(categories)
        rule.areas.set(areas)
        rule.agencies.set(agencies)


def _deadlines(items: list[dict[str, Any]]) -> None:
    for i, item in enumerate(items):
        where = f"deadlines[{i}]"
        if item.get("unit") not in DeadlineUnit.values or int(item.get("amount", 0)) < 1:
            raise RoutingDataError(f"{where}: give a positive amount of hours or days")
        category = None
        if item.get("category"):
            category = Category.objects.filter(code=item["category"]).first()
            if category is None:
                raise RoutingDataError(f"{where}: unknown category {item['category']!r}")
        DeadlinePolicy.objects.update_or_create(
            category=category,
            defaults={
                "amount": int(item["amount"]),
                "unit": item["unit"],
                "working_time": bool(item.get("working_time", True)),
            },
        )


@transaction.atomic
def routing_load(*, document: dict[str, Any]) -> dict[str, int]:
    """All or nothing: an invalid rule rolls back the whole document."""
    _agencies(document.get("agencies", []))
    _rules(document.get("rules", []))
    _deadlines(document.get("deadlines", []))
    counts = {key: len(document.get(key, [])) for key in ("agencies", "rules", "deadlines")}
    audit.record(actor=None, action="routing.loaded", data=counts)
    return counts
