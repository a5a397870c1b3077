"""Possible duplicates of a report: nearby in space and time, same main category or similar text.

Explainable on purpose (distance, hours apart, text similarity): the similarity is the triage
toolkit's (cosine of character trigrams), so the control room and `streetlight triage dedupe` agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from streetlight.accounts.models import User
from streetlight.reports.lifecycle import OPEN_STATUSES
from streetlight.reports.models import Report
from streetlight.routing.selectors import report_list_visible_to
from streetlight.toolkit.geo import haversine_m
from streetlight.toolkit.triage import DedupeItem, similar_to

RADIUS_M = 300.0
WINDOW = timedelta(hours=48)
MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class Suggestion:
    report: Report
    distance_m: float | None
    hours_apart: float
    similarity: float


def _item(report: Report) -> DedupeItem[int]:
    return DedupeItem(id=report.pk, text=report.description, when=report.occurred_from)


def text_similarity(report: Report, others: list[Report]) -> dict[int, float]:
    """Each other report's text similarity to `report` (0 when they share nothing)."""
    pairs = similar_to(_item(report), [_item(o) for o in others], min_similarity=0.0, max_distance_m=None)
    return {pair.b: pair.similarity for pair in pairs}


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
    nearby: list[tuple[Report, float | None]] = []
    for other in candidates[:500]:
        distance = None
        if report.lat is not None and report.lon is not None and other.lat is not None and other.lon is not None:
            distance = float(haversine_m(report.lat, report.lon, other.lat, other.lon))
            if distance > RADIUS_M:
                continue
        elif report.area_id is None or report.area_id != other.area_id:
            continue
        nearby.append((other, distance))
    similarity = text_similarity(report, [other for other, _d in nearby])
    found = []
    for other, distance in nearby:
        score = similarity.get(other.pk, 0.0)
        if _main(other) != _main(report) and score < MIN_SIMILARITY:
            continue
        hours = abs((other.occurred_from - report.occurred_from).total_seconds()) / 3600
        found.append(Suggestion(report=other, distance_m=distance, hours_apart=hours, similarity=score))
    found.sort(key=lambda s: (-(s.similarity), s.distance_m if s.distance_m is not None else RADIUS_M, s.hours_apart))
    return found[:limit]
