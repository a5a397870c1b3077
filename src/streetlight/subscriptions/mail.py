"""The e-mails of the subscriptions app. Every one carries the unsubscribe link, in the body and
in the RFC 8058 headers, so a mail client can offer one-click unsubscribe."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .content import AlertView
from .models import Subscription


def absolute(path: str) -> str:
    return str(settings.STREETLIGHT["BASE_URL"]).rstrip("/") + path


def unsubscribe_url(sub: Subscription) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[sub.unsubscribe_token]))


def smtp_reason(exc: smtplib.SMTPException) -> str:
    """The server's own words for a refused address, e.g. "550 No such user here"."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, message = next(iter(exc.recipients.values()))
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{code} {text}"[:250]
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"[:250]
    return str(exc)[:250] or type(exc).__name__


def _send(sub: Subscription, template: str, context: dict[str, Any], language: str) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` in the language and send one message;
    SMTP errors propagate to the caller, which decides between bounce, retry and rollback."""
    link = unsubscribe_url(sub)
    with translation.override(language):
        context = {**context, "unsubscribe_url": link, "city_name": settings.STREETLIGHT["CITY_NAME"]}
        subject = " ".join(render_to_string(f"subscriptions/email/{template}_subject.txt", context).split())
        text = render_to_string(f"subscriptions/email/{template}.txt", context)
        html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [sub.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def confirmation_send(*, sub: Subscription, token: str, language: str) -> None:
    confirm_url = absolute(reverse("subscriptions:confirm", args=[token]))
    _send(sub, "confirm", {"confirm_url": confirm_url, "changing": bool(sub.pending_choices)}, language)


def alert_email_send(*, sub: Subscription, view: AlertView) -> None:
    _send(sub, "alert", {"alert": view}, view.language)
