"""Subscribing (double opt-in), confirming and unsubscribing. Alert delivery lives in delivery.py.

The confirmation e-mail is sent inside the transaction that writes the subscription: when the mail
server refuses the address, the exception rolls the row back and the resident sees the error on the
form. Nothing is kept half-way.
"""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.audit import services as audit
from streetlight.core.crypto import blind_index

from . import mail, selectors
from .conf import setting
from .errors import MailUnavailable, SubscriptionInvalid, SubscriptionUndeliverable
from .models import Subscription, SubscriptionDelivery

TOKEN_BYTES = 32


@dataclass(frozen=True)
class Choices:
    """What a subscriber asked for: language, areas (empty: whole city), topics (empty: all)."""

    language: str
    areas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    include_exercises: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "areas": sorted(set(self.areas)),
            "topics": sorted(set(self.topics)),
            "include_exercises": self.include_exercises,
        }


def choices_errors(choices: Choices) -> dict[str, str]:
    """Each unknown code is named, on its field."""
    errors: dict[str, str] = {}
    if choices.language not in selectors.language_codes():
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": choices.language[:16]}
    if unknown := sorted(set(choices.areas) - {code for code, _n in selectors.area_choices()}):
        errors["areas"] = _("Unknown area: %(codes)s.") % {"codes": ", ".join(c[:32] for c in unknown)}
    if unknown := sorted(set(choices.topics) - {code for code, _n in selectors.topic_choices()}):
        errors["topics"] = _("Unknown topic: %(codes)s.") % {"codes": ", ".join(c[:64] for c in unknown)}
    return errors


def _apply(sub: Subscription, choices: dict[str, object]) -> None:
    sub.language = str(choices["language"])
    sub.areas = list(choices["areas"])  # type: ignore[call-overload]
    sub.topics = list(choices["topics"])  # type: ignore[call-overload]
    sub.include_exercises = bool(choices["include_exercises"])


def unsubscribe_token_new(sub: Subscription) -> None:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    sub.unsubscribe_token, sub.unsubscribe_token_hash = token, selectors.hash_token(token)


def subscription_request(*, email: str, choices: Choices, now: datetime | None = None) -> None:
    """Ask an address to confirm a subscription. Returns nothing: the page says "check your inbox"
    whether the address was new, pending or already subscribed. An active subscriber's new choices
    wait in `pending_choices` until they confirm, so nobody changes someone else's subscription."""
    if errors := choices_errors(choices):
        raise SubscriptionInvalid(errors)
    moment = now or timezone.now()
    address = email.strip()
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(email_hash=blind_index(address)).first()
        created = sub is None
        if sub is None:
            sub = Subscription(channel=Subscription.Channel.EMAIL, email_hash=blind_index(address))
            unsubscribe_token_new(sub)
        sub.email = address
        if sub.status == Subscription.Status.ACTIVE:
            sub.pending_choices = choices.as_dict()
        else:
            _apply(sub, choices.as_dict())
            sub.status, sub.pending_choices = Subscription.Status.PENDING, {}
        token = secrets.token_urlsafe(TOKEN_BYTES)
        sub.confirm_token_hash = selectors.hash_token(token)
        sub.confirm_expires_at = moment + timedelta(hours=int(setting("CONFIRM_HOURS")))
        sub.save()
        try:
            mail.confirmation_send(sub=sub, token=token, language=choices.language)
        except smtplib.SMTPException as exc:
            raise SubscriptionUndeliverable(mail.smtp_reason(exc)) from exc
        except OSError as exc:
            raise MailUnavailable(str(exc)) from exc
        audit.record(actor=None, action="subscription.requested", target=sub, data={"new": created})


@transaction.atomic
def subscription_confirm(*, sub: Subscription, now: datetime | None = None) -> Subscription:
    """Second step of the opt-in: only a POST from the page the link opens gets here (mail scanners
    fetch links, they do not press buttons)."""
    sub = Subscription.objects.select_for_update().get(pk=sub.pk)
    if sub.pending_choices:
        _apply(sub, sub.pending_choices)
    was_active = sub.status == Subscription.Status.ACTIVE
    sub.status, sub.pending_choices = Subscription.Status.ACTIVE, {}
    sub.confirm_token_hash, sub.confirm_expires_at = "", None
    sub.confirmed_at = now or timezone.now()
    sub.save()
    audit.record(actor=None, action="subscription.confirmed", target=sub, data={"changed": was_active})
    return sub


@transaction.atomic
def subscription_unsubscribe(*, sub: Subscription, now: datetime | None = None, reason: str = "link") -> Subscription:
    """End a subscription and forget who it was: the address, its index, the webhook URL and
    secret go; a tombstone keeps the delivery log's counts. Repeating it changes nothing."""
    sub = Subscription.objects.select_for_update().get(pk=sub.pk)
    if sub.status == Subscription.Status.UNSUBSCRIBED:
        return sub
    sub.status, sub.ended_at = Subscription.Status.UNSUBSCRIBED, now or timezone.now()
    sub.email, sub.email_hash, sub.unsubscribe_token = "", "", ""
    sub.webhook_url, sub.webhook_secret = "", ""
    sub.confirm_token_hash, sub.confirm_expires_at, sub.pending_choices = "", None, {}
    sub.save()
    skipped = sub.deliveries.filter(status=SubscriptionDelivery.Status.PENDING).update(
        status=SubscriptionDelivery.Status.SKIPPED, last_error="unsubscribed"
    )
    audit.record(actor=None, action="subscription.ended", target=sub, data={"reason": reason, "skipped": skipped})
    return sub


@transaction.atomic
def webhook_subscription_save(
    *, sub: Subscription, by: AbstractBaseUser | AnonymousUser | None, now: datetime | None = None
) -> Subscription:
    """A partner's webhook, entered by a city admin: active at once (the admin vouches for it)."""
    created = sub.pk is None
    if created:
        sub.channel = Subscription.Channel.WEBHOOK
        sub.status = Subscription.Status.ACTIVE
        sub.confirmed_at = now or timezone.now()
        unsubscribe_token_new(sub)
    sub.save()
    audit.record(actor=by, action="subscription.webhook_saved", target=sub, data={"new": created})
    return sub
