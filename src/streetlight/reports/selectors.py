"""Every non-trivial read of reports, categories and guidance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from streetlight.audit import services as audit

from .errors import ReportNotFound
from .models import (
    Area,
    Category,
    CategoryText,
    FollowupToken,
    Message,
    Report,
    ReportContact,
    StatusChange,
    SupportService,
)
from .services.submit import hash_token

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
    return [(main, list(main.active_children)) for main in mains]  # type: ignore[attr-defined]


def category_get(*, code: str) -> Category | None:
    return category_list().filter(code=code).first()


def area_list() -> QuerySet[Area]:
    return Area.objects.order_by("name")


def service_is_open(service: SupportService, at: datetime) -> bool:
    """Opening hours are in the city's time zone."""
    if service.always_open:
        return True
    local = at.astimezone(ZoneInfo(settings.TIME_ZONE))
    now = local.strftime("%H:%M")
    return any(start <= now < end for start, end in (service.hours or {}).get(WEEKDAYS[local.weekday()], []))


@dataclass
class Guidance:
    category: Category
    text: CategoryText | None
    services: list[tuple[SupportService, bool]] = field(default_factory=list)  # (service, open now)


def guidance_for(*, category: Category, at: datetime | None = None) -> Guidance:
    """What to do now, the victim's rights and who can help, open services first."""
    at = at or timezone.now()
    services = list(category.support_services.all())
    if category.parent_id is not None and category.parent is not None:
        services += [s for s in category.parent.support_services.all() if s not in services]
    ranked = sorted(((s, service_is_open(s, at)) for s in services), key=lambda p: (not p[1], p[0].order))
    text = category.text() or (category.parent.text() if category.parent else None)
    if text is not None and not text.steps and category.parent is not None:
        text = category.parent.text() or text
    return Guidance(category=category, text=text, services=ranked)


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


def report_contact_read(*, report: Report, actor: AbstractBaseUser, purpose: str) -> ReportContact | None:
    """Contact details are read only through here, and every read leaves an audit entry."""
    contact = ReportContact.objects.filter(report=report).first()
    audit.record(
        actor=actor,
        action="report.contact_read",
        target=report,
        data={"purpose": purpose, "present": contact is not None},
    )
    return contact
