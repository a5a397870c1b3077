"""Double opt-in: a pending subscriber gets nothing; only a POST from the confirmation page
activates; an expired link is refused with a clear page; re-subscribing updates, never duplicates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from streetlight.audit.models import AuditEntry
from streetlight.core.crypto import blind_index
from streetlight.subscriptions.models import Subscription, SubscriptionDelivery

from .conftest import run_tasks
from .factories import html_of, issue, link_in, subscribe_by_form

pytestmark = pytest.mark.django_db


def test_form_lists_areas_and_non_sensitive_topics(client: Client) -> None:
    resp = client.get("/alerts/subscriptions/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'value="D01"' in html and "Centro Storico" in html
    assert 'value="theft"' in html and 'value="warning"' in html
    assert 'value="hate"' not in html  # sensitive categories are never offered


def test_subscribing_writes_a_pending_row_and_mails_a_confirm_link(client: Client) -> None:
    resp = subscribe_by_form(client, "ana@example.org", language="fr", areas=["D01", "D03"], topics=["theft"])
    assert resp.status_code == 302 and resp["Location"] == "/alerts/subscriptions/check-inbox/"
    assert b"48 hours" in client.get(resp["Location"]).content
    sub = Subscription.objects.get(email_hash=blind_index("ana@example.org"))
    assert (sub.status, sub.language, sub.areas, sub.topics) == ("pending", "fr", ["D01", "D03"], ["theft"])
    assert sub.confirm_expires_at is not None and sub.confirm_expires_at > timezone.now() + timedelta(hours=47)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject and html_of(message)  # text and HTML
    assert link_in(message.body, "confirm")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_address_is_stored_encrypted(client: Client) -> None:
    from django.db import connection

    subscribe_by_form(client, "secret.person@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM subscriptions_subscription")
        [(raw,)] = cursor.fetchall()
    assert "secret.person" not in raw and raw.startswith("sl1:")


def test_pending_subscriber_receives_no_alert(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    subscribe_by_form(client, "pending@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    assert mail.outbox == []
    assert not SubscriptionDelivery.objects.exists()


def test_get_on_the_confirm_link_does_not_confirm(client: Client) -> None:
    subscribe_by_form(client, "scan@example.org")
    path = link_in(mail.outbox[0].body, "confirm")
    resp = client.get(path)
    assert resp.status_code == 200 and b"<form" in resp.content
    assert Subscription.objects.get().status == "pending"


def test_post_on_the_confirm_page_activates(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    subscribe_by_form(client, "yes@example.org")
    path = link_in(mail.outbox[0].body, "confirm")
    resp = client.post(path)
    assert resp.status_code == 200
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.confirmed_at is not None and sub.confirm_token_hash == ""
    assert client.post(path).status_code == 404  # a used link opens nothing
    assert AuditEntry.objects.filter(action="subscription.confirmed", target_id=str(sub.pk)).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["yes@example.org"]]


def test_expired_confirm_link_is_refused_with_a_clear_page(client: Client) -> None:
    subscribe_by_form(client, "late@example.org")
    path = link_in(mail.outbox[0].body, "confirm")
    Subscription.objects.update(confirm_expires_at=timezone.now() - timedelta(minutes=1))
    for resp in (client.get(path), client.post(path)):
        assert resp.status_code == 410
        assert b"expired" in resp.content
    assert Subscription.objects.get().status == "pending"


def test_unknown_confirm_token_is_404(client: Client) -> None:
    assert client.get("/alerts/subscriptions/confirm/nope/").status_code == 404
    assert client.get("/alerts/subscriptions/confirm/" + "x" * 200 + "/").status_code == 404


def test_resubscribing_updates_without_duplicate_or_hint(client: Client) -> None:
    first = subscribe_by_form(client, "again@example.org", areas=["D01"])
    second = subscribe_by_form(client, " Again@Example.org ", areas=["D02"])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    sub = Subscription.objects.get()
    assert sub.areas == ["D02"] and sub.status == "pending"
    assert len(mail.outbox) == 2


def test_active_subscriber_changes_apply_only_once_confirmed(client: Client) -> None:
    subscribe_by_form(client, "keep@example.org", areas=["D01"])
    client.post(link_in(mail.outbox[0].body, "confirm"))
    subscribe_by_form(client, "keep@example.org", areas=["D05"])  # could be anyone typing the address
    sub = Subscription.objects.get()
    assert (sub.status, sub.areas) == ("active", ["D01"])
    client.post(link_in(mail.outbox[-1].body, "confirm"))
    sub.refresh_from_db()
    assert (sub.status, sub.areas, sub.pending_choices) == ("active", ["D05"], {})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "xx", "Unknown language code: xx"),
        ("areas", "Z99", "Unknown area: Z99"),
        ("topics", "hate", "Unknown topic: hate"),
        ("email", "not-an-address", "valid email"),
    ],
)
def test_bad_input_is_refused_on_its_field(client: Client, field: str, value: str, message: str) -> None:
    resp = client.post("/alerts/subscriptions/", {"email": "bad@example.org", "language": "en", field: value})
    assert resp.status_code == 400
    errors = resp.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert f'id="id_{field}-error"' in resp.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []
