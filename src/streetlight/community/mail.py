"""E-mails to businesses: the confirmation (sent inside the registration's transaction, so a refused
address rolls the registration back) and the warnings and drill invitations (sent by the worker,
one `Delivery` row each, retried with back-off; a refused address is final)."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from streetlight.audit import services as audit

from .errors import CommunityInvalid, MailUnavailable
from .models import Business, Delivery

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


def _base() -> str:
    return str(settings.STREETLIGHT["BASE_URL"]).rstrip("/")


def page_url(business: Business) -> str:
    return f"{_base()}/business/b/{business.page_token}/"


def _send(subject: str, body: str, to: str) -> None:
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def confirmation_send(*, business: Business, token: str) -> None:
    """Raise CommunityInvalid on the e-mail field when the server refuses the address, and
    MailUnavailable when it cannot be reached: the caller's transaction then rolls back."""
    with translation.override(business.language):
        context = {"business": business, "url": f"{_base()}/business/confirm/{token}/"}
        subject = render_to_string("community/email/confirm_subject.txt", context)
        body = render_to_string("community/email/confirm_email.txt", context)
    try:
        _send(subject, body, business.contact_email)
    except smtplib.SMTPRecipientsRefused as exc:
        raise CommunityInvalid(
            {"email": [_("The mail server refused this address. Check it, or use another one.")]}
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailUnavailable(str(exc)) from exc


def _render(delivery: Delivery) -> tuple[str, str]:
    business = delivery.business
    context: dict[str, object] = {"business": business, "url": page_url(business)}
    if delivery.warning_id is not None:
        alert = delivery.warning.alert  # type: ignore[union-attr]
        infos = {info.language: info for info in alert.infos.all()}
        info = infos.get(delivery.language) or infos.get(settings.LANGUAGE_CODE) or next(iter(infos.values()))
        context |= {"info": info, "alert": alert, "community": business.community}
        name = "warning"
    else:
        drill = delivery.drill
        assert drill is not None
        context |= {
            "drill": drill,
            "text": drill.text(delivery.language),
            "ack_url": f"{page_url(business)}drills/{drill.pk}/",
            "community": business.community,
        }
        name = "drill"
    subject = render_to_string(f"community/email/{name}_subject.txt", context)
    body = render_to_string(f"community/email/{name}_email.txt", context)
    return subject, body


def delivery_attempt(*, delivery_id: int) -> timedelta | None:
    """Send one pending delivery. Returns the delay before the next try, or None when done."""
    delivery = (
        Delivery.objects.select_related("business__community", "warning__alert", "drill")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    delivery.attempts += 1
    final = False
    try:
        with translation.override(delivery.language):
            subject, body = _render(delivery)
        _send(subject, body, delivery.business.contact_email)
    except smtplib.SMTPRecipientsRefused as exc:
        delivery.last_error, final = f"refused: {exc.recipients}"[:300], True
    except (smtplib.SMTPException, OSError) as exc:
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
    else:
        delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, timezone.now(), ""
    if delivery.status == Delivery.Status.PENDING and (final or delivery.attempts >= MAX_ATTEMPTS):
        delivery.status = Delivery.Status.FAILED
        audit.record(
            actor=None,
            action="community.delivery.failed",
            target=delivery,
            data={"attempts": delivery.attempts, "business": delivery.business_id},
        )
    delivery.save()
    if delivery.status != Delivery.Status.PENDING:
        return None
    return timedelta(seconds=BACKOFF_SECONDS[min(delivery.attempts - 1, len(BACKOFF_SECONDS) - 1)])
