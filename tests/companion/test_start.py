"""Starting a walk: every field checked by name, contacts invited in the walker's language, and
nothing kept or sent when the mail server refuses one address."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core import mail
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.companion.models import TrustedContact, Walk, WalkStatus
from streetlight.core.tokens import hash_token

from .conftest import form_data

pytestmark = pytest.mark.django_db


def test_the_start_page_offers_the_form(client: Client) -> None:
    page = client.get("/walk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="contact_email_1"' in html
    assert 'name="alert_control_room"' in html and "checked" not in html.split('name="alert_control_room"')[1][:40]


def test_a_walk_starts_and_each_contact_gets_their_own_private_link(client: Client) -> None:
    response = client.post("/walk/", form_data(contact_name_2="Ben"))
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    walk = Walk.objects.get(resident_token_hash=hash_token(token))
    assert walk.status == WalkStatus.ACTIVE and walk.alert_control_room is False
    assert [m.to for m in mail.outbox] == [["ana@example.org"], ["ben@example.org"]]
    link = re.search(r"https?://\S+/walk/watch/(\S+)/", str(mail.outbox[0].body))
    assert link is not None and hash_token(link.group(1)) == walk.watch_token_hash
    assert token not in mail.outbox[0].body  # the contacts cannot act for the walker
    assert "Mia" in mail.outbox[0].subject and "Hello Ana" in mail.outbox[0].body
    assert client.get(f"/walk/{token}/").status_code == 200
    assert client.get(f"/walk/watch/{link.group(1)}/").status_code == 200


def test_personal_data_is_stored_encrypted(client: Client) -> None:
    client.post("/walk/", form_data(destination="Piazza Verdi 3"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT destination, resident_name FROM companion_walk")
        destination, name = cursor.fetchone()
        cursor.execute("SELECT email FROM companion_trustedcontact")
        emails = [row[0] for row in cursor.fetchall()]
    assert "Piazza" not in destination and name != "Mia"
    assert all("example.org" not in e for e in emails)
    assert Walk.objects.get().destination == "Piazza Verdi 3"


def test_audit_entry_names_no_person(client: Client) -> None:
    client.post("/walk/", form_data())
    entry = AuditEntry.objects.get(action="walk.started")
    assert entry.data == {"contacts": 2, "control_room": False, "minutes": 25}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"destination": ""}, "destination", "where you are going"),
        ({"destination": "x" * 201}, "destination", "too long"),
        ({"arrival_minutes": ""}, "arrival_time", "when you expect"),
        ({"arrival_minutes": "0"}, "arrival_minutes", "between 1 and 360"),
        ({"arrival_minutes": "999"}, "arrival_minutes", "between 1 and 360"),
        ({"arrival_minutes": "abc"}, "arrival_minutes", "whole number"),
        ({"arrival_time": "21:30"}, "arrival_minutes", "not both"),
        ({"arrival_minutes": "", "arrival_time": "25:99"}, "arrival_time", "valid time"),
        ({"contact_email_1": "", "contact_name_1": "", "contact_email_2": ""}, "contact_email_1", "at least one"),
        ({"contact_email_2": "not-an-address"}, "contact_email_2", "valid e-mail"),
        ({"contact_email_2": "ANA@example.org"}, "contact_email_2", "already in the list"),
        ({"contact_email_2": "", "contact_name_2": "Ben"}, "contact_email_2", "e-mail address"),
        ({"language": "xx"}, "language", "valid choice"),
        ({"resident_name": "M" * 101}, "resident_name", "too long"),
        ({"destination": "Home\x00"}, "destination", "NUL"),
    ],
)
def test_bad_input_names_the_field_and_keeps_nothing(
    client: Client, changes: dict[str, str], field: str, words: str
) -> None:
    response = client.post("/walk/", form_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words.lower() in " ".join(errors[field]).lower()
    assert words.lower() in response.content.decode().lower()
    assert not Walk.objects.exists() and not mail.outbox


def test_a_time_of_arrival_after_midnight_means_tonight(client: Client) -> None:
    from django.utils import timezone

    local = timezone.localtime()
    at = (local - timedelta(minutes=30)).strftime("%H:%M")  # already passed today: tomorrow, > 6 h away
    response = client.post("/walk/", form_data(arrival_minutes="", arrival_time=at))
    assert response.status_code == 400
    assert "within the next 6 hours" in " ".join(response.context["form"].errors["arrival_time"])
    soon = (local + timedelta(minutes=40)).strftime("%H:%M")
    assert client.post("/walk/", form_data(arrival_minutes="", arrival_time=soon)).status_code == 302


def test_starting_walks_is_rate_limited(client: Client, settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "2/1m"}
    codes = [client.post("/walk/", form_data(destination="")).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


class Recorder:
    """A real SMTP server's handler: refuses one address, records what it was given."""

    def __init__(self, refuse: str) -> None:
        self.refuse = refuse
        self.delivered: list[list[str]] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Recorder]:
    # aiosmtpd logs every connection from its own thread, which may outlive pytest's captured streams.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    recorder = Recorder(refuse="nobody@example.org")
    with socket.socket() as probe:  # a free port (aiosmtpd's controller needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5},
        }
    }
    yield recorder
    controller.stop()


def test_a_refused_address_keeps_no_walk_and_sends_nothing(client: Client, smtp: Recorder) -> None:
    response = client.post("/walk/", form_data(contact_email_2="nobody@example.org"))
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["contact_email_2"])
    assert "refused" in message and "nobody@example.org" in message
    assert not Walk.objects.exists() and not TrustedContact.objects.exists()
    assert smtp.delivered == []  # not even the first, accepted contact got a link to a walk that does not exist
    assert not AuditEntry.objects.filter(action="walk.started").exists()


def test_through_a_real_smtp_server_each_contact_gets_one_message(client: Client, smtp: Recorder) -> None:
    assert client.post("/walk/", form_data()).status_code == 302
    assert smtp.delivered == [["ana@example.org"], ["ben@example.org"]]


def test_a_mail_server_that_is_down_keeps_nothing_and_says_so(client: Client, settings: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nobody listens there
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 2},
        }
    }
    response = client.post("/walk/", form_data())
    assert response.status_code == 503
    assert "cannot send e-mails" in response.content.decode()
    assert not Walk.objects.exists()
