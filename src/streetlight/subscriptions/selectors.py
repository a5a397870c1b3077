"""Every read of subscriptions, and the choices a resident may subscribe to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from streetlight.alerts import selectors as alert_selectors
from streetlight.alerts.models import Alert
from streetlight.core.tokens import hash_token
from streetlight.reports import selectors as report_selectors
from streetlight.reports.models import Category

from .conf import setting
from .errors import TokenExpired, TokenUnknown
from .models import Subscription, SubscriptionDelivery

MAX_TOKEN_LENGTH = 100


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def area_choices() -> list[tuple[str, str]]:
    """The city's areas, by name."""
    return [(a.code, a.name) for a in report_selectors.area_list()]


def topic_choices() -> list[tuple[str, str]]:
    """Top-level report categories that are not sensitive, then the kinds of alert. Sensitive
    categories are never offered: a mail that arrives because of one would tell its reader what the
    warning was about (and they are never listed publicly anyway)."""
    categories = [
        (main.code, main.name()) for main, _children in report_selectors.category_tree() if not main.sensitive
    ]
    return [*categories, *[(str(value), str(label)) for value, label in Alert.Kind.choices]]


def top_level_topics(codes: Iterable[str]) -> set[str]:
    """The top-level category of each code (a code that is already top-level stays itself)."""
    codes = set(codes)
    pairs = Category.objects.filter(code__in=codes).values_list("code", "parent__code")
    return {parent or code for code, parent in pairs} | (codes - {code for code, _parent in pairs})


def subscription_by_confirm_token(*, token: str, now: datetime | None = None) -> Subscription:
    """The subscription a confirmation link opens; an unknown and a used link look the same."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenUnknown
    sub = Subscription.objects.filter(
        confirm_token_hash=hash_token(token), status__in=[Subscription.Status.PENDING, Subscription.Status.ACTIVE]
    ).first()
    if sub is None:
        raise TokenUnknown
    if sub.confirm_expires_at is None or sub.confirm_expires_at <= (now or timezone.now()):
        raise TokenExpired
    return sub


def subscription_by_unsubscribe_token(*, token: str) -> Subscription:
    """The subscription an unsubscribe link names, also when it has already ended (a mail client
    may send the one-click POST twice)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenUnknown
    sub = Subscription.objects.filter(unsubscribe_token_hash=hash_token(token)).first()
    if sub is None:
        raise TokenUnknown
    return sub


def alert_topics(alert: Alert) -> set[str] | None:
    """What a topic filter is matched against: the alert's kind and the top-level category of each
    of its topics. None for an alert without topics: a general warning concerns every topic (as in
    the alerts app's public list)."""
    if not alert.topics:
        return None
    return top_level_topics(alert.topics) | {alert.kind}


def topic_matches(chosen: Iterable[str], topics: set[str] | None) -> bool:
    chosen = set(chosen)
    return not chosen or topics is None or bool(topics & chosen)


def subscription_matches(sub: Subscription, *, area_codes: set[str], topics: set[str] | None, exercise: bool) -> bool:
    """Empty areas mean the whole city and empty topics mean every topic; drills only for those who
    asked for them."""
    if exercise and not sub.include_exercises:
        return False
    if sub.areas and not area_codes.intersection(sub.areas):
        return False
    return topic_matches(sub.topics, topics)


def subscriptions_for_alert(*, alert: Alert) -> list[Subscription]:
    """Active subscribers this alert concerns. Filtered in Python: the JSON lists are short and the
    same code runs on SQLite and PostgreSQL."""
    area_codes = alert_selectors.alert_area_codes(alert)
    topics = alert_topics(alert)
    exercise = alert.status == Alert.Status.EXERCISE
    active = Subscription.objects.filter(status=Subscription.Status.ACTIVE).order_by("pk")
    return [
        s for s in active.iterator() if subscription_matches(s, area_codes=area_codes, topics=topics, exercise=exercise)
    ]


def deliveries_new(*, alert: Alert, subscription_ids: Iterable[int]) -> QuerySet[SubscriptionDelivery]:
    return SubscriptionDelivery.objects.filter(
        alert=alert, subscription_id__in=list(subscription_ids), status=SubscriptionDelivery.Status.PENDING, attempts=0
    )


def feed_alerts(*, area: str | None, topic: str | None, include_exercises: bool) -> list[Alert]:
    """The public alerts in force for one choice of area and topic, newest first: the alerts app's
    public list, with the topic matched exactly as a subscription's (alert kinds included)."""
    alerts = alert_selectors.alert_list_public(area_code=area, include_exercises=include_exercises)
    chosen = [topic] if topic else []
    return [a for a in alerts if topic_matches(chosen, alert_topics(a))][: int(setting("FEED_ITEMS"))]
