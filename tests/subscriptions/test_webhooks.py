"""Partners' webhooks: signed like notify's (the receiver verifies with notify.signing.verify),
retried with back-off on failure, entered by a city admin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from streetlight.alerts import selectors as alert_selectors
from streetlight.subscriptions.delivery import delivery_send
from streetlight.subscriptions.models import Subscription, SubscriptionDelivery
from streetlight.subscriptions.services import webhook_subscription_save

from .conftest import Receiver, run_tasks
from .factories import issue

pytestmark = pytest.mark.django_db
SECRET = "partner-secret-0123456789"


def partner(url: str, **kwargs: Any) -> Subscription:
    return webhook_subscription_save(
        sub=Subscription(name="Night economy", webhook_url=url, webhook_secret=SECRET, **kwargs), by=None
    )


def test_payload_is_signed_and_complete(
    django_capture_on_commit_callbacks: Any, make_receiver: Callable[..., Receiver]
) -> None:
    receiver = make_receiver(SECRET)
    partner(receiver.url, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        alert = issue(topics=("theft-bike",))
    run_tasks()
    [payload] = receiver.verified  # verify() accepted the signature
    assert payload["identifier"] == alert.identifier
    assert (payload["msgType"], payload["status"], payload["sensitive"]) == ("Alert", "Actual", False)
    assert payload["areas"] == ["D01"] and payload["topics"] == ["theft-bike"]
    assert payload["cap_url"] == alert_selectors.alert_cap_url(alert)
    assert {i["language"] for i in payload["infos"]} == {"en", "fr"}
    assert payload["expires"] == alert.expires.isoformat()
    headers = receiver.calls[0]["headers"]
    assert headers["Streetlight-Delivery"] == payload["delivery"] == headers["Idempotency-Key"]


def test_wrong_secret_is_refused_by_the_receiver_and_retried(
    django_capture_on_commit_callbacks: Any, make_receiver: Callable[..., Receiver]
) -> None:
    receiver = make_receiver("another-secret-entirely")
    partner(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    assert receiver.verified == []
    delivery = SubscriptionDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 401")


def test_failing_receiver_is_retried_with_back_off_until_it_accepts(
    django_capture_on_commit_callbacks: Any, make_receiver: Callable[..., Receiver]
) -> None:
    receiver = make_receiver(SECRET, failures=2)
    partner(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    retry = DBTaskResult.objects.get(task_path="streetlight.subscriptions.tasks.deliver_alert", status="READY")
    assert retry.run_after > timezone.now() + timedelta(seconds=5)  # queued later, not now
    delivery = SubscriptionDelivery.objects.get()
    assert [delivery_send(delivery_id=delivery.pk) is not None, delivery_send(delivery_id=delivery.pk)] == [True, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.verified)) == ("sent", 3, 1)
    assert delivery_send(delivery_id=delivery.pk) is None and len(receiver.calls) == 3  # done is done


def test_gives_up_after_max_attempts(
    django_capture_on_commit_callbacks: Any, make_receiver: Callable[..., Receiver], settings: Any
) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBSCRIPTIONS": {"MAX_ATTEMPTS": 2}}
    receiver = make_receiver(SECRET, failures=100)
    partner(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue()
    run_tasks()
    delivery = SubscriptionDelivery.objects.get()
    assert delivery_send(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)


def test_admin_enters_a_webhook_and_e_mail_addresses_stay_hidden(admin_client: Client) -> None:
    resp = admin_client.post(
        "/admin/subscriptions/subscription/add/",
        {
            "name": "Harbour bars association",
            "webhook_url": "https://partner.example.org/hook",
            "webhook_secret": SECRET,
            "language": "it",
            "areas": '["D02"]',
            "topics": "[]",
            "status": "pending",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    sub = Subscription.objects.get()
    assert (sub.channel, sub.status, sub.webhook_secret, sub.areas) == ("webhook", "active", SECRET, ["D02"])
    bad = admin_client.post(
        "/admin/subscriptions/subscription/add/",
        {
            "name": "x",
            "webhook_url": "https://p.example.org/",
            "webhook_secret": SECRET,
            "language": "xx",
            "areas": '["Z9"]',
            "topics": "[]",
            "status": "active",
        },
    )
    assert bad.status_code == 200 and Subscription.objects.count() == 1
