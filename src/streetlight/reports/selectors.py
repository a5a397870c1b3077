"""Every non-trivial read of reports, categories and guidance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.toolkit.geo import haversine_m

from . import catalog_cache
from .catalog_cache import catalog_version
from .enums import URGENT_NEEDS, Need
from .errors import ReportNotFound
from .models import (
    Area,
    Category,
    FollowupToken,
    Message,
    Report,
    ReportContact,
    StatusChange,
    SupportService,
)
from .services.submit import hash_token

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GUIDANCE_TTL = 600


def category_list(*, include_sensitive: bool = True) -> QuerySet[Category]:
    """Active categories with their texts, parents first, ready for a picker or an API list."""
    qs = (
        Category.objects.filter(active=True)
        .select_related("parent")
        .prefetch_related("texts", "support_services__texts")
    )
    if not include_sensitive:
        qs = qs.filter(sensitive=False)
    return qs.order_by("parent__order", "parent__code", "order", "code")


def category_tree() -> list[tuple[Category, list[Category]]]:
    """Main categories, each with its active sub-categories; computed once per process and catalog
    version (read-only objects)."""
    return catalog_cache.category_tree.get()


def category_get(*, code: str) -> Category | None:
    return category_list().filter(code=code).first()


def area_list() -> QuerySet[Area]:
    return Area.objects.order_by("name")


def hours_open(*, always_open: bool, hours: dict[str, list[list[str]]] | None, at: datetime) -> bool:
    """Opening hours are in the city's time zone."""
    if always_open:
        return True
    local = at.astimezone(ZoneInfo(settings.TIME_ZONE))
    now = local.strftime("%H:%M")
    return any(start <= now < end for start, end in (hours or {}).get(WEEKDAYS[local.weekday()], []))


def _service_dict(service: SupportService) -> dict[str, Any]:
    """What guidance shows of a service, in the active language; plain data, so it can be cached."""
    service_text = service.text()
    return {
        "code": service.code,
        "name": service_text.name if service_text else service.code,
        "description": service_text.description if service_text else "",
        "phone": service.phone,
        "url": service.url,
        "always_open": service.always_open,
        "hours": service.hours or {},
        "order": service.order,
        "needs": list(service.needs or []),
        "lat": service.lat,
        "lon": service.lon,
    }


def _guidance_static(category: Category, language: str) -> dict[str, Any]:
    """The parts of a category's guidance that only change when the catalog is edited."""
    with translation.override(language):
        services = list(category.support_services.all())
        if category.parent is not None:
            services += [s for s in category.parent.support_services.all() if s not in services]
        text = category.text()
        if category.parent is not None and (text is None or not text.steps):
            text = category.parent.text() or text
        return {
            "what_to_do_now": text.steps if text else [],
            "rights": text.rights if text else "",
            "support": [_service_dict(service) for service in services],
        }


def _need_services(language: str) -> list[dict[str, Any]]:
    """Every service that answers at least one need, cached like a category's guidance."""
    key = f"streetlight:need-services:{catalog_version()}:{language}"
    found = cache.get(key)
    if found is None:
        with translation.override(language):
            found = [_service_dict(s) for s in SupportService.objects.prefetch_related("texts") if s.needs]
        cache.set(key, found, timeout=GUIDANCE_TTL)
    return list(found)


def _support_item(
    service: dict[str, Any], at: datetime, wanted: list[str], point: tuple[float, float] | None
) -> dict[str, Any]:
    matched = [need for need in wanted if need in service.get("needs", ())]
    lat, lon = service.get("lat"), service.get("lon")
    distance = None
    if point is not None and lat is not None and lon is not None:
        distance = round(haversine_m(point[0], point[1], lat, lon))
    return {
        **service,
        "open_now": hours_open(always_open=service["always_open"], hours=service["hours"], at=at),
        "for_needs": matched,
        "for_needs_labels": [str(Need(need).label) for need in matched],
        "distance_m": distance,
        "distance_km": None if distance is None else round(distance / 1000, 1),
    }


def _support_order(item: dict[str, Any]) -> tuple[bool, int, bool, int]:
    """Open now first; then the nearest (a service without a place, a phone line, is as near as the
    person's phone); then those answering what the person asked for; then the city's own order."""
    return (not item["open_now"], item["distance_m"] or 0, not item["for_needs"], item["order"])


def guidance_for(
    *,
    category: Category,
    at: datetime | None = None,
    needs: Iterable[str] = (),
    point: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """What to do now, the victim's rights and who can help: the category's services and those that
    answer the person's needs, open now first, then nearest to `point`; the emergency number first of
    all when the person is in danger now. Cached per category and language until the catalog changes;
    only "open now" and the distances are computed per call."""
    at = at or timezone.now()
    language = (translation.get_language() or "en")[:2]
    key = f"streetlight:guidance:v2:{catalog_version()}:{category.code}:{language}"
    static = cache.get(key)
    if static is None:
        static = _guidance_static(category, language)
        cache.set(key, static, timeout=GUIDANCE_TTL)
    asked = set(needs)
    wanted = [need for need in Need.values if need in asked]
    services = list(static["support"])
    if wanted:
        listed = {service["code"] for service in services}
        services += [s for s in _need_services(language) if s["code"] not in listed and asked.intersection(s["needs"])]
    support = sorted((_support_item(s, at, wanted, point) for s in services), key=_support_order)
    urgent = bool(URGENT_NEEDS.intersection(wanted))
    return {
        **static,
        "support": support,
        "emergency_number": settings.STREETLIGHT["EMERGENCY_NUMBER"] if urgent else None,
    }


def guidance_for_report(*, report: Report, at: datetime | None = None) -> dict[str, Any]:
    """The guidance for what the reporter told us: category, needs and, when given, the exact point."""
    point = (report.lat, report.lon) if report.lat is not None and report.lon is not None else None
    return guidance_for(category=report.category, at=at, needs=report.needs, point=point)


def report_needs(*, report: Report) -> list[dict[str, Any]]:
    """The help a reporter asked for, labelled, the urgent need first; for the reporter's own pages and
    the staff of the agencies that can see the report (callers check that)."""
    return [
        {
            "code": code,
            "label": str(Need(code).label),
            "urgent": code in URGENT_NEEDS,
            "detail": report.interpreter_language if code == Need.INTERPRETER else "",
        }
        for code in report.needs
        if code in Need.values
    ]


def report_get_by_token(*, token: str) -> Report:
    """The report a follow-up token opens. A wrong token and a missing report look the same."""
    if not token or len(token) > 100:
        raise ReportNotFound()
    row = (
        FollowupToken.objects.select_related("report__category", "report__area")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if row is None:
        raise ReportNotFound()
    return row.report


def report_history(*, report: Report) -> QuerySet[StatusChange]:
    return report.status_changes.order_by("at", "pk")


def report_public_messages(*, report: Report) -> QuerySet[Message]:
    return report.messages.filter(public=True).order_by("at", "pk")


def report_contact_read(
    *, report: Report, actor: User | None, purpose: str, actor_label: str = ""
) -> ReportContact | None:
    """Contact details are read only through here, and every read leaves an audit entry
    (`actor_label` names a reader without an account, e.g. the reporter themselves)."""
    contact = ReportContact.objects.filter(report=report).first()
    audit.record(
        actor=actor,
        action="report.contact_read",
        target=report,
        data={"purpose": purpose, "present": contact is not None},
        actor_label=actor_label,
    )
    return contact


def report_counts_by_area(*, categories: list[str], since: datetime, until: datetime) -> dict[str, tuple[str, int]]:
    """Reports received in [since, until) whose category is one of these or a child of one, per area:
    {area code: (area name, count)}. Merged and rejected reports do not count."""
    counts = (
        Report.objects.filter(created_at__gte=since, created_at__lt=until, area__isnull=False)
        .filter(Q(category__code__in=categories) | Q(category__parent__code__in=categories))
        .exclude(status__in=["merged", "rejected"])
        .values_list("area__code", "area__name")
        .annotate(n=Count("id"))
    )
    return {code: (name, n) for code, name, n in counts}
