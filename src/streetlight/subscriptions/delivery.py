"""Fan an alert out to its subscribers and send each delivery, in the background.

Each (subscription, alert) pair gets one `SubscriptionDelivery` row (unique), so a fan-out that runs
twice sends nothing twice. A delivery is claimed by bumping its attempt counter with a conditional
UPDATE before anything is sent, so two workers never send the same one. An address the mail server
refuses is marked bounced, with its subscription; the other subscribers are unaffected.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from streetlight.alerts.models import Alert
from streetlight.audit import services as audit
from streetlight.notify.services import backoff
from streetlight.notify.signing import sign

from . import content, mail, selectors
from .conf import setting
from .models import Subscription, SubscriptionDelivery

Status = SubscriptionDelivery.Status


@dataclass(frozen=True)
class FanOut:
    matched: int
    created: list[int]
    reason: str = ""


def _not_for_subscribers(alert: Alert, now: datetime) -> str:
    """Why an alert goes to nobody: restricted and private alerts have their own audience, a
    technical test is for machines, an expired alert is news to no one."""
    if alert.scope != Alert.Scope.PUBLIC:
        return "scope"
    if alert.status == Alert.Status.TEST:
        return "test"
    if alert.expires <= now:
        return "expired"
    return ""


def alert_fan_out(*, alert_id: int, now: datetime | None = None) -> FanOut:
    """One delivery row per matching subscriber and one audit entry with the counts (never the
    addresses); returns the ids of the new rows, for the caller to queue."""
    moment = now or timezone.now()
    alert = Alert.objects.select_related("area").get(pk=alert_id)
    if reason := _not_for_subscribers(alert, moment):
        result = FanOut(matched=0, created=[], reason=reason)
    else:
        subs = selectors.subscriptions_for_alert(alert=alert)
        with transaction.atomic():
            existing = set(alert.subscription_deliveries.values_list("subscription_id", flat=True))
            new_ids = [s.pk for s in subs if s.pk not in existing]
            SubscriptionDelivery.objects.bulk_create(
                [SubscriptionDelivery(subscription_id=pk, alert=alert) for pk in new_ids], ignore_conflicts=True
            )
            created = list(selectors.deliveries_new(alert=alert, subscription_ids=new_ids).values_list("pk", flat=True))
            _queue(created)
        result = FanOut(matched=len(subs), created=created)
    with transaction.atomic():
        audit.record(
            actor=None,
            action="subscription.fan_out",
            target=alert,
            data={"identifier": alert.identifier, "matched": result.matched, "queued": len(result.created)}
            | ({"skipped": result.reason} if result.reason else {}),
        )
    return result


def _queue(delivery_ids: list[int]) -> None:
    """Queued in the transaction that wrote the rows: the task table is the outbox."""
    from .tasks import deliver_alert

    for pk in delivery_ids:
        deliver_alert.enqueue(delivery_id=pk)


def _claim(delivery_id: int) -> SubscriptionDelivery | None:
    """Take a pending delivery for this attempt; None when it is done or another worker has it."""
    row = SubscriptionDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).first()
    if row is None:
        return None
    taken = SubscriptionDelivery.objects.filter(pk=row.pk, status=Status.PENDING, attempts=row.attempts).update(
        attempts=F("attempts") + 1
    )
    if not taken:
        return None
    return SubscriptionDelivery.objects.select_related("subscription", "alert__area").get(pk=row.pk)


def _finish(delivery: SubscriptionDelivery, status: str, error: str = "") -> None:
    delivery.status, delivery.last_error = status, error[:300]
    if status == Status.SENT:
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "last_error", "sent_at"])


def _retry_or_fail(delivery: SubscriptionDelivery, error: str) -> timedelta | None:
    if delivery.attempts >= int(setting("MAX_ATTEMPTS")):
        _finish(delivery, Status.FAILED, error)
        return None
    delivery.last_error = error[:300]
    delivery.save(update_fields=["last_error"])
    return backoff(delivery.attempts)


def delivery_send(*, delivery_id: int) -> timedelta | None:
    """Send one delivery once. Returns the delay before the next try, or None when done."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    sub = delivery.subscription
    if sub.status != Subscription.Status.ACTIVE:
        _finish(delivery, Status.SKIPPED, sub.status)
        return None
    if sub.channel == Subscription.Channel.WEBHOOK:
        return _send_webhook(delivery)
    return _send_email(delivery)


def _send_email(delivery: SubscriptionDelivery) -> timedelta | None:
    sub = delivery.subscription
    try:
        mail.alert_email_send(sub=sub, view=content.alert_view(delivery.alert, sub.language))
    except smtplib.SMTPRecipientsRefused as exc:
        with transaction.atomic():
            _finish(delivery, Status.BOUNCED, mail.smtp_reason(exc))
            Subscription.objects.filter(pk=sub.pk).update(status=Subscription.Status.BOUNCED, ended_at=timezone.now())
            audit.record(actor=None, action="subscription.bounced", target=sub, data={"delivery": delivery.pk})
        return None
    except (smtplib.SMTPException, OSError) as exc:
        return _retry_or_fail(delivery, f"{type(exc).__name__}: {exc}")
    _finish(delivery, Status.SENT)
    return None


def _send_webhook(delivery: SubscriptionDelivery) -> timedelta | None:
    """POST the signed JSON, as notify's webhooks are signed; the key repeats on every try so the
    partner can drop duplicates."""
    sub = delivery.subscription
    key = f"sub-{delivery.pk}"
    payload = content.webhook_payload(delivery.alert, sub.language) | {"delivery": key}
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Streetlight-Webhooks/1",
        "Streetlight-Event": "alert.published",
        "Streetlight-Delivery": key,
        "Idempotency-Key": key,
        "Streetlight-Signature": sign(sub.webhook_secret, body),
    }
    try:
        response = httpx.post(
            sub.webhook_url, content=body, headers=headers, timeout=float(setting("WEBHOOK_TIMEOUT_SECONDS"))
        )
    except httpx.HTTPError as exc:
        return _retry_or_fail(delivery, f"{type(exc).__name__}: {exc}")
    if 200 <= response.status_code < 300:
        _finish(delivery, Status.SENT)
        return None
    return _retry_or_fail(delivery, f"HTTP {response.status_code}")
