"""One-click unsubscribe (RFC 8058): the headers are on every e-mail, a POST without CSRF token
ends the subscription in one request, and the address is deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from streetlight.subscriptions.models import Subscription, SubscriptionDelivery

from .conftest import run_tasks
from .factories import html_of, issue, link_in, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerted(django_capture_on_commit_callbacks: Any) -> mail.EmailMessage:
    subscriber("bye@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    [message] = mail.outbox
    return message


def test_every_alert_mail_has_one_click_headers_and_a_link(alerted: mail.EmailMessage) -> None:
    path = link_in(alerted.body, "unsubscribe")
    assert alerted.extra_headers["List-Unsubscribe"].endswith(f"{path}>")
    assert alerted.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in html_of(alerted)


def test_one_click_post_without_csrf_unsubscribes_and_deletes_the_address(
    alerted: mail.EmailMessage, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    path = link_in(alerted.body, "unsubscribe")
    resp = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 200
    sub = Subscription.objects.get()
    assert sub.status == "unsubscribed"
    assert (sub.email, sub.email_hash, sub.unsubscribe_token) == ("", "", "")
    assert SubscriptionDelivery.objects.filter(subscription=sub, status="sent").count() == 1  # the log stays
    assert client.post(path).status_code == 200  # a repeated click changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    assert mail.outbox == []


def test_get_only_shows_a_button(alerted: mail.EmailMessage) -> None:
    resp = Client().get(link_in(alerted.body, "unsubscribe"))
    assert resp.status_code == 200 and b'method="post"' in resp.content
    assert Subscription.objects.get().status == "active"


def test_pending_deliveries_are_skipped_after_unsubscribing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    sub = subscriber("queue@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issue()  # fanned out by the next run_tasks, after the unsubscribe
    from streetlight.alerts.models import Alert
    from streetlight.subscriptions.delivery import alert_fan_out

    alert_fan_out(alert_id=Alert.objects.get().pk)
    client.post(f"/alerts/subscriptions/unsubscribe/{sub.unsubscribe_token}/")
    run_tasks()
    assert mail.outbox == []
    assert set(SubscriptionDelivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_unknown_unsubscribe_token_is_404() -> None:
    assert Client(enforce_csrf_checks=True).post("/alerts/subscriptions/unsubscribe/nope/").status_code == 404
