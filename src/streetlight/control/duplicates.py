"""Possible duplicates of a report: nearby in space and time, same main category or similar words.

Deliberately simple and explainable (distance, hours apart, shared words); the triage component's
text model can replace the word overlap without changing callers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from streetlight.accounts.models import User
from streetlight.reports.lifecycle import OPEN_STATUSES
from streetlight.reports.models import Report
from streetlight.routing.selectors import report_list_visible_to
from streetlight.toolkit.geo import haversine_m

RADIUS_M = 300.0
WINDOW = timedelta(hours=48)
MIN_WORD_OVERLAP = 0.25
_WORD = re.compile(r"\w{3,}", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    report: Report
    distance_m: float | None
    hours_apart: float
    word_overlap: float


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the words of three letters or more."""
    wa, wb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _main(report: Report) -> int:
    return report.category.parent_id or report.category_id


def duplicate_suggestions(*, user: User, report: Report, limit: int = 5) -> list[Suggestion]:
    candidates = (
        report_list_visible_to(user=user)
        .exclude(pk=report.pk)
        .filter(status__in=[s.value for s in OPEN_STATUSES])
        .filter(occurred_from__range=(report.occurred_from - WINDOW, report.occurred_from + WINDOW))
        .select_related("category", "area")
    )
    found = []
    for other in candidates[:500]:
        distance = None
        if report.lat is not None and report.lon is not None and other.lat is not None and other.lon is not None:
            distance = float(haversine_m(report.lat, report.lon, other.lat, other.lon))
            if distance > RADIUS_M:
                continue
        elif report.area_id is None or report.area_id != other.area_id:
            continue
        overlap = word_overlap(report.description, other.description)
        if _main(other) != _main(report) and overlap < MIN_WORD_OVERLAP:
            continue
        hours = abs((other.occurred_from - report.occurred_from).total_seconds()) / 3600
        found.append(Suggestion(report=other, distance_m=distance, hours_apart=hours, word_overlap=overlap))
    found.sort(key=lambda s: (-(s.word_overlap), s.distance_m if s.distance_m is not None else RADIUS_M, s.hours_apart))
    return found[:limit]
