"""E-mails to trusted contacts, one message per contact (contacts never see each other's address).

An invitation must not go out half-way: with an SMTP mailer every recipient is first checked with
RCPT TO (then RSET, so nothing is sent) before any message is sent through the same connection."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    body: str


class Refused(smtplib.SMTPException):
    """The mail server would not take this address."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def render(*, template: str, language: str, to: str, context: dict[str, object]) -> Outgoing:
    """Subject and body from companion/<template>_subject.txt and _email.txt, in the walker's language."""
    with translation.override(language):
        subject = render_to_string(f"companion/{template}_subject.txt", context).strip()
        body = render_to_string(f"companion/{template}_email.txt", context)
    return Outgoing(to=to, subject=" ".join(subject.split()), body=body)


def _probe(backend: SmtpBackend, addresses: list[str]) -> None:
    """RCPT TO each address without sending anything; raise Refused for the first one refused."""
    conn = backend.connection
    assert conn is not None
    conn.ehlo_or_helo_if_needed()
    for address in addresses:
        code, _msg = conn.mail(settings.DEFAULT_FROM_EMAIL)
        if code >= 400:
            raise smtplib.SMTPSenderRefused(code, _msg, settings.DEFAULT_FROM_EMAIL)
        code, _msg = conn.rcpt(address)
        conn.rset()
        if code >= 400:
            raise Refused(address)


def _message(out: Outgoing) -> EmailMessage:
    return EmailMessage(out.subject, out.body, settings.DEFAULT_FROM_EMAIL, [out.to])


def send_all_or_none(messages: list[Outgoing]) -> None:
    """Send every message or raise Refused naming the address the server would not take. A server
    that accepts RCPT in the check and refuses later is the one case where some may have left."""
    backend = mailers.default
    backend.open()
    try:
        if isinstance(backend, SmtpBackend):
            _probe(backend, [m.to for m in messages])
        for out in messages:
            try:
                backend.send_messages([_message(out)])
            except smtplib.SMTPRecipientsRefused as exc:
                raise Refused(out.to) from exc
    finally:
        backend.close()


def send_each(messages: list[Outgoing]) -> list[Outgoing]:
    """Alerts: try every contact even if one fails; return the messages that could not be sent."""
    failed: list[Outgoing] = []
    backend = mailers.default
    for out in messages:
        try:
            backend.send_messages([_message(out)])
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("walk alert e-mail not sent: %s", type(exc).__name__)
            failed.append(out)
    backend.close()
    return failed
