"""Which periods a research package may cover: whole quarters that are over.

A package is built per quarter, the same unit as open data, so that each table's months add up to
exactly the quarter the open data publishes and the joint audit (see `tables`) can account for
both. The command line takes one or more consecutive quarters (up to three years); the download
takes exactly one, and an anonymous caller only one of those listed on the open-data page, so a
public request never makes the server build a package for a period of its choosing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..data import BadFilter
from ..open_data import quarter_bounds, quarters_available

MAX_QUARTERS = 12


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(label: str) -> date:
    year, q = label.split("-Q")
    return date(int(year), 3 * int(q) - 2, 1)


def quarter_end(label: str) -> date:
    start = quarter_start(label)
    following = date(start.year + (start.month == 10), 1 if start.month == 10 else start.month + 3, 1)
    return following - timedelta(days=1)


def quarter_months(label: str) -> list[str]:
    start = quarter_start(label)
    return [f"{start.year}-{start.month + i:02d}" for i in range(3)]


def quarters_between(since: date, until: date) -> list[str]:
    labels, day = [], since
    while day <= until:
        labels.append(quarter_of(day))
        day = quarter_end(labels[-1]) + timedelta(days=1)
    return labels


def check_window(since: date, until: date) -> None:
    """BadFilter naming `from` or `to` unless [since, until] is whole quarters, over, at most three years."""
    errors: dict[str, str] = {}
    if since > until:
        errors["from"] = _("The start must be before the end.")
    elif len(quarters_between(since, until)) > MAX_QUARTERS:
        errors["from"] = _("Choose at most three years at a time.")
    elif since != quarter_start(quarter_of(since)):
        errors["from"] = _("Start on the first day of a quarter.")
    if until != quarter_end(quarter_of(until)):
        errors["to"] = _("End on the last day of a quarter.")
    elif until >= timezone.localdate():
        errors["to"] = _("Only periods that are over are published.")
    if errors:
        raise BadFilter(errors)


def quarter_window(raw_from: str, raw_to: str, *, public: bool = True) -> tuple[date, date]:
    """The download's window: exactly one finished quarter, from its first to its last day — for
    the public, one of the quarters the open-data page lists. BadFilter naming `from` or `to`."""
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        try:
            days[name] = date.fromisoformat((raw or "").strip())
        except ValueError:
            errors[name] = _("Use a date like 2026-04-01.")
    if errors:
        raise BadFilter(errors)
    since, until = days["from"], days["to"]
    if since > until:
        raise BadFilter({"from": _("The start must be before the end.")})
    label = quarter_of(since)
    try:
        bounds = quarter_bounds(label)
    except BadFilter:
        raise BadFilter({"to": _("Only quarters that are over are published.")}) from None
    if since != bounds[0]:
        raise BadFilter({"from": _("Start on the first day of a quarter.")})
    if until != bounds[1]:
        raise BadFilter({"to": _("End on the last day of the same quarter.")})
    if public and label not in quarters_available():
        raise BadFilter({"from": _("Choose one of the quarters listed on the open-data page.")})
    return since, until
