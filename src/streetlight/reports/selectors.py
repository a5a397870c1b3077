"""Every non-trivial read of reports, categories and guidance."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from streetlight.accounts.models import User
from streetlight.audit import services as audit

from .catalog_cache import catalog_version
from .errors import ReportNotFound
from .models import (
    Area,
    Category,
    FollowupToken,
    Message,
    Report,
    ReportContact,
    StatusChange,
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
    """Main categories, each with its active sub-categories."""
    children = Category.objects.filter(active=True).prefetch_related("texts").order_by("order", "code")
    mains = (
        Category.objects.filter(active=True, parent__isnull=True)
        .prefetch_related("texts", Prefetch("children", queryset=children, to_attr="active_children"))
        .order_by("order", "code")
    )
    return [(main, list(main.active_children)) for main in mains]


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


def _guidance_static(category: Category, language: str) -> dict[str, Any]:
    """The parts of a category's guidance that only change when the catalog is edited."""
    with translation.override(language):
        services = list(category.support_services.all())
        if category.parent is not None:
            services += [s for s in category.parent.support_services.all() if s not in services]
        text = category.text()
        if category.parent is not None and (text is None or not text.steps):
            text = category.parent.text() or text
        support = []
        for service in services:
            service_text = service.text()
            support.append(
                {
                    "code": service.code,
                    "name": service_text.name if service_text else service.code,
                    "description": service_text.description if service_text else "",
                    "phone": service.phone,
                    "url": service.url,
                    "always_open": service.always_open,
                    "hours": service.hours or {},
                    "order": service.order,
                }
            )
        return {
            "what_to_do_now": text.steps if text else [],
            "rights": text.rights if text else "",
            "support": support,
        }


def guidance_for(*, category: Category, at: datetime | None = None) -> dict[str, Any]:
    """What to do now, the victim's rights and who can help — services open now first. Cached per
    category and language until the catalog changes; only "open now" is computed per call."""
    at = at or timezone.now()
    language = (translation.get_language() or "en")[:2]
    key = f"streetlight:guidance:{catalog_version()}:{category.code}:{language}"
    static = cache.get(key)
    if static is None:
        static = _guidance_static(category, language)
        cache.set(key, static, timeout=GUIDANCE_TTL)
    support = [
        {**service, "open_now": hours_open(always_open=service["always_open"], hours=service["hours"], at=at)}
        for service in static["support"]
    ]
    support.sort(key=lambda s: (not s["open_now"], s["order"]))
    return {**static, "support": support}


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
