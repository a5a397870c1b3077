"""Reads of reports for public outputs (Open311, open data): what anyone on the internet may see.

One place decides it, so every public channel applies the same rules: only categories the city
published (never a sensitive one), only reports whose reporter agreed to public statistics, and a
location no finer than an H3 cell."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from streetlight.toolkit.geo import blur_point

from .lifecycle import OPEN_STATUSES
from .models import Category, Report, StatusChange

_CODE = re.compile(r"[-a-zA-Z0-9_]{1,64}")
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,16}")

#: Name of the annotation holding the newest non-empty public note of a report.
LAST_PUBLIC_NOTE = "last_public_note"

_PUBLIC_CATEGORY = Q(public_open311=True, sensitive=False) & ~Q(parent__sensitive=True)


def open311_category_list() -> QuerySet[Category]:
    """Categories offered to Open311 clients: published, not sensitive, active (with an active parent),
    texts and parent texts prefetched for names in any language."""
    return (
        Category.objects.filter(_PUBLIC_CATEGORY, active=True)
        .exclude(parent__active=False)
        .select_related("parent")
        .prefetch_related("texts", "parent__texts")
        .order_by("parent__order", "parent__code", "order", "code")
    )


def open311_category_get(*, code: str) -> Category | None:
    """The category behind a service_code, or None when it is unknown, sensitive or not published:
    the three answer alike, so a sensitive category's existence is never revealed."""
    if not _CODE.fullmatch(code):
        return None
    return open311_category_list().filter(code=code).first()


def _public_reports() -> QuerySet[Report]:
    return Report.objects.filter(
        category__public_open311=True,
        category__sensitive=False,
        public_statistics=True,
    ).exclude(category__parent__sensitive=True)


def public_report_list(
    *,
    references: Collection[str] = (),
    codes: Collection[str] = (),
    statuses: Collection[str] = (),
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[Report]:
    """Public reports, newest first. `references` alone selects (other filters ignored, as the
    Open311 spec wants); `statuses` holds "open" and/or "closed"."""
    notes = (
        StatusChange.objects.filter(report=OuterRef("pk"))
        .exclude(public_note="")
        .order_by("-at", "-pk")
        .values("public_note")[:1]
    )
    qs = (
        _public_reports()
        .select_related("category__parent", "area")
        .prefetch_related("category__texts")
        .annotate(**{LAST_PUBLIC_NOTE: Subquery(notes)})
        .order_by("-created_at", "-pk")
    )
    if references:
        return qs.filter(reference__in=list(references))
    if codes:
        qs = qs.filter(category__code__in=list(codes))
    open_values = [s.value for s in OPEN_STATUSES]
    if "open" in statuses and "closed" not in statuses:
        qs = qs.filter(status__in=open_values)
    elif "closed" in statuses and "open" not in statuses:
        qs = qs.exclude(status__in=open_values)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    return qs


def public_report_get(*, reference: str) -> Report | None:
    """One public report by its reference; None for unknown and non-public alike."""
    if not _REFERENCE.fullmatch(reference):
        return None
    return public_report_list(references=[reference]).first()


def public_status_change_list(*, start: datetime, end: datetime) -> QuerySet[StatusChange]:
    """Status changes of public reports in a time window, oldest first (a feed clients replay)."""
    return (
        StatusChange.objects.filter(
            report__category__public_open311=True,
            report__category__sensitive=False,
            report__public_statistics=True,
            at__gte=start,
            at__lte=end,
        )
        .exclude(report__category__parent__sensitive=True)
        .select_related("report")
        .order_by("at", "pk")
    )


def report_public_point(report: Report) -> tuple[float | None, float | None]:
    """Where the public may place a report: the blurred point stored by background processing, or,
    while that has not run yet, the same H3 cell centre computed now. Never the exact point."""
    if report.public_lat is not None and report.public_lon is not None:
        return report.public_lat, report.public_lon
    if report.lat is None or report.lon is None:
        return None, None
    resolution = cast(int, settings.STREETLIGHT["PUBLIC_BLUR_RESOLUTION"])
    return blur_point(report.lat, report.lon, resolution=resolution)
