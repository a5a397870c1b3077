"""Addresses the mail server refuses, against a real local SMTP server (aiosmtpd): at subscribe
time nothing is kept and the form says why; at delivery the subscriber is marked bounced and the
others still get the warning."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.subscriptions.models import Subscription, SubscriptionDelivery

from .conftest import RefusingHandler, body_of, run_tasks
from .factories import issue, link_in, subscribe_by_form, subscriber

pytestmark = pytest.mark.django_db


def test_refused_address_at_subscribe_keeps_nothing(client: Client, smtp: RefusingHandler) -> None:
    smtp.refused.add("nobody@example.org")
    resp = subscribe_by_form(client, "nobody@example.org", areas=["D01"])
    assert resp.status_code == 422
    errors = resp.context["form"].errors
    assert list(errors) == ["email"]
    assert "We could not deliver to this address: 550" in errors["email"][0]
    assert 'id="id_email-error"' in resp.content.decode()
    assert not Subscription.objects.exists()
    assert not AuditEntry.objects.filter(action="subscription.requested").exists()
    assert smtp.messages == []


def test_accepted_address_gets_the_confirmation_over_smtp(client: Client, smtp: RefusingHandler) -> None:
    resp = subscribe_by_form(client, "real@example.org")
    assert resp.status_code == 302
    [message] = smtp.to("real@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.post(link_in(body_of(message), "confirm")).status_code == 200
    assert Subscription.objects.get().status == "active"


def test_mail_server_down_keeps_nothing(client: Client, settings: Any) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 2},
        }
    }
    resp = subscribe_by_form(client, "later@example.org")
    assert resp.status_code == 503
    assert "try again later" in resp.content.decode()
    assert not Subscription.objects.exists()


def test_bounce_at_delivery_marks_the_subscriber_and_others_still_receive(
    smtp: RefusingHandler, django_capture_on_commit_callbacks: Any
) -> None:
    gone = subscriber("gone@example.org")
    subscriber("here@example.org")
    subscriber("also@example.org")
    smtp.refused.add("gone@example.org")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alert = issue()
    run_tasks()
    assert {rcpt for rcpts, _m in smtp.messages for rcpt in rcpts} == {"here@example.org", "also@example.org"}
    delivery = SubscriptionDelivery.objects.get(subscription=gone, alert=alert)
    assert delivery.status == "bounced" and delivery.last_error.startswith("550")
    gone.refresh_from_db()
    assert gone.status == "bounced"
    assert AuditEntry.objects.filter(action="subscription.bounced", target_id=str(gone.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(area="D02")
    run_tasks()
    assert not SubscriptionDelivery.objects.filter(subscription=gone, alert=second).exists()
