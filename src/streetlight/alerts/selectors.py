"""Every read of warnings: what is in force for the public, a thread's current message, where a
warning applies, and who may issue one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import shapely
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from streetlight.accounts.models import User
from streetlight.reports import selectors as report_selectors
from streetlight.reports.models import Area, Category
from streetlight.routing.enums import DESK_ROLES
from streetlight.routing.models import Agency, Membership
from streetlight.toolkit.geo import circle_ring

from . import capdoc
from .models import Alert, AlertInfo, AlertRule

RECENT_DAYS = 7  # how long ended warnings stay in the index feed, so readers see cancellations


def may_issue_alerts(*, user: User | AnonymousUser) -> bool:
    """Operators, supervisors and administrators of any agency issue warnings for the city."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role__in=DESK_ROLES).exists()


def issuing_agencies(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(memberships__user=user, memberships__role__in=DESK_ROLES).distinct()


def _with_texts(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    return qs.select_related("area", "agency", "original", "replaces").prefetch_related("infos")


def alert_current(alert: Alert) -> Alert:
    """The newest message of the alert's thread (the alert itself if nothing replaced it)."""
    root = alert.original or alert
    latest = (
        Alert.objects.filter(Q(pk=root.pk) | Q(original=root), replaced_by__isnull=True)
        .order_by("-sent", "-id")
        .first()
    )
    return latest or alert


def alert_thread(alert: Alert) -> list[Alert]:
    root = alert.original or alert
    return list(_with_texts(Alert.objects.filter(Q(pk=root.pk) | Q(original=root))).order_by("sent", "id"))


def _in_force(now: datetime) -> Q:
    return Q(replaced_by__isnull=True, expires__gt=now) & ~Q(msg_type=Alert.MsgType.CANCEL)


def _public(include_exercises: bool) -> Q:
    statuses = [Alert.Status.ACTUAL, Alert.Status.EXERCISE] if include_exercises else [Alert.Status.ACTUAL]
    return Q(scope=Alert.Scope.PUBLIC, status__in=statuses)


def _filtered(qs: QuerySet[Alert], *, area_code: str | None, topic: str | None) -> list[Alert]:
    alerts = list(qs)
    if topic:
        alerts = [a for a in alerts if not a.topics or topic in a.topics or topic in _parents(a.topics)]
    if area_code:
        alerts = [a for a in alerts if area_code in alert_area_codes(a)]
    return alerts


def alert_list_public(
    *,
    now: datetime | None = None,
    area_code: str | None = None,
    topic: str | None = None,
    include_exercises: bool = False,
) -> list[Alert]:
    """Public warnings in force now: the current message of each thread, not cancelled, not expired."""
    moment = now or timezone.now()
    qs = _with_texts(Alert.objects.filter(_public(include_exercises) & _in_force(moment)))
    return _filtered(qs, area_code=area_code, topic=topic)


def alert_feed_entries(
    *, now: datetime | None = None, area_code: str | None = None, topic: str | None = None
) -> list[Alert]:
    """The index feed: the current message of each public thread that is in force or ended within
    the last days, so a reader also learns of updates and cancellations."""
    moment = now or timezone.now()
    qs = _with_texts(
        Alert.objects.filter(
            _public(False),
            replaced_by__isnull=True,
            sent__gte=moment - timedelta(days=90),
            expires__gt=moment - timedelta(days=RECENT_DAYS),
        )
    )
    return _filtered(qs, area_code=area_code, topic=topic)


def alert_get_public(*, identifier: str) -> Alert:
    """Any public message by identifier (older messages of a thread stay readable); Alert.DoesNotExist otherwise."""
    return _with_texts(Alert.objects.filter(scope=Alert.Scope.PUBLIC)).get(identifier=identifier)


def alert_list_for_staff(*, now: datetime | None = None) -> tuple[list[Alert], list[Alert]]:
    """(in force, recently ended) current messages of every thread, exercises and restricted included."""
    moment = now or timezone.now()
    current = _with_texts(Alert.objects.filter(replaced_by__isnull=True)).order_by("-sent")
    active = list(current.filter(_in_force(moment)))
    ended = list(current.exclude(pk__in=[a.pk for a in active])[:50])
    return active, ended


def alert_get_for_staff(*, pk: int) -> Alert:
    return _with_texts(Alert.objects.all()).get(pk=pk)


def alert_info_for(alert: Alert, language: str | None) -> AlertInfo:
    """The text in the reader's language, else the city's default language, else the first written."""
    infos = {info.language: info for info in alert.infos.all()}
    for code in (language, settings.LANGUAGE_CODE):
        if code and code in infos:
            return infos[code]
    return next(iter(infos.values()))


def alert_geometry(alert: Alert) -> Any:
    """The warned area as a shapely geometry in (lon, lat); circles approximated by 64-gons."""
    parts = [shapely.Polygon([(lon, lat) for lat, lon in ring]) for ring in alert.polygons]
    parts += [shapely.Polygon(circle_ring(lat, lon, radius_km)) for lat, lon, radius_km in alert.circles]
    return shapely.union_all(parts)


def alert_area_codes(alert: Alert) -> set[str]:
    """Codes of the city areas the warning touches (its own area, and any area its shape overlaps)."""
    codes = {alert.area.code} if alert.area_id and alert.area else set()
    geometry = alert_geometry(alert)
    if geometry.is_empty:
        return codes
    level = settings.STREETLIGHT["AREA_LEVEL"]
    for code, area_geometry in Area.objects.filter(level=level).values_list("code", "geometry"):
        if code not in codes and shape(area_geometry).intersection(geometry).area > 0:
            codes.add(code)
    return codes


def _categories(codes: list[str] | tuple[str, ...]) -> list[Category]:
    return list(Category.objects.filter(code__in=codes).select_related("parent").prefetch_related("texts"))


def _parents(codes: list[str]) -> set[str]:
    return {c.parent.code for c in _categories(codes) if c.parent_id and c.parent}


def alert_is_sensitive(alert: Alert) -> bool:
    """A warning about hate, harassment or gender violence: subscribers get only a generic notice."""
    return any(c.sensitive or (c.parent is not None and c.parent.sensitive) for c in _categories(alert.topics))


def public_topics(codes: tuple[str, ...] | list[str]) -> list[str]:
    """The topics a published message may name: sensitive categories stay out of the CAP codes."""
    keep = {c.code for c in _categories(codes) if not (c.sensitive or (c.parent is not None and c.parent.sensitive))}
    return [code for code in codes if code in keep]


def topic_names(codes: list[str], language: str | None = None) -> dict[str, str]:
    """Display names of topics; a sensitive sub-category is named by its main category only."""
    names = {}
    for category in _categories(codes):
        shown = category.parent if category.sensitive and category.parent is not None else category
        names[category.code] = shown.name(language)
    return names


def topic_choices() -> list[tuple[str, str]]:
    """Main categories, for filters and forms."""
    return [(c.code, c.name()) for c in report_selectors.category_list().filter(parent__isnull=True)]


def area_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in report_selectors.area_list()]


def area_code_set() -> set[str]:
    return set(Area.objects.values_list("code", flat=True))


def topic_code_set() -> set[str]:
    return set(Category.objects.values_list("code", flat=True))


def filter_errors(*, area: str | None, topic: str | None, lang: str | None) -> dict[str, str]:
    """Problems with the area / topic / lang filters of the list, the feed and the API."""
    errors = {}
    if area is not None and area not in area_code_set():
        errors["area"] = _("There is no area with this code.")
    if topic is not None and topic not in dict(topic_choices()):
        errors["topic"] = _("There is no topic with this code.")
    codes = [code for code, _name in settings.LANGUAGES]
    if lang is not None and lang not in codes:
        errors["lang"] = _("Unknown language; use one of %(codes)s.") % {"codes": ", ".join(codes)}
    return errors


def alert_rules_active() -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(active=True).select_related("agency")


def report_counts_by_area(*, categories: list[str], since: datetime, until: datetime) -> dict[str, tuple[str, int]]:
    return report_selectors.report_counts_by_area(categories=categories, since=since, until=until)


def rule_alert_in_force(*, rule: AlertRule, area_code: str, now: datetime) -> bool:
    return Alert.objects.filter(_in_force(now), rule=rule, area__code=area_code).exists()


def alert_public_url(alert: Alert) -> str:
    return capdoc.page_url(alert)


def alert_cap_url(alert: Alert) -> str:
    return capdoc.document_url(alert)
