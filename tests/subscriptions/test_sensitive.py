"""A sensitive warning reaches subscribers only as "New safety warning for <area>", its time
window and the public link: no description, instruction, event, category name or geometry."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from streetlight.alerts import selectors as alert_selectors
from streetlight.reports.models import Category
from streetlight.subscriptions.delivery import alert_fan_out
from streetlight.subscriptions.models import Subscription, SubscriptionDelivery
from streetlight.subscriptions.services import webhook_subscription_save

from .conftest import Receiver, run_tasks
from .factories import SENSITIVE_DESCRIPTION, html_of, sensitive_alert, subscriber

pytestmark = pytest.mark.django_db
SECRET = "partner-secret-0123456789"


def forbidden_words() -> list[str]:
    """The sensitive description and every name of the sensitive categories, in every language."""
    names = {t.name for c in Category.objects.filter(sensitive=True) for t in c.texts.all()}
    return [SENSITIVE_DESCRIPTION, "Blue Door", "Homophobic", "hate", *sorted(names)]


def test_e_mail_carries_only_the_generic_notice(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("resident@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        alert = sensitive_alert(area="D02")
    run_tasks()
    [message] = mail.outbox
    html = html_of(message)
    everything = f"{message.subject}\n{message.body}\n{html}"
    assert message.subject == "New safety warning for Porto Vecchio"
    assert alert_selectors.alert_public_url(alert) in message.body
    info = alert_selectors.alert_info_for(alert, "en")
    for text in (*forbidden_words(), info.event, info.instruction, info.headline):
        assert text.lower() not in everything.lower(), text
    assert "[" not in message.body.split("Details:")[0]  # no coordinates


def test_webhook_payload_carries_only_the_generic_notice(
    django_capture_on_commit_callbacks: Any, make_receiver: Callable[..., Receiver]
) -> None:
    receiver = make_receiver(SECRET)
    webhook_subscription_save(
        sub=Subscription(name="Night bus operator", webhook_url=receiver.url, webhook_secret=SECRET, language="it"),
        by=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        alert = sensitive_alert(area="D02")
    run_tasks()
    [payload] = receiver.verified
    raw = json.dumps(payload, ensure_ascii=False).lower()
    for text in forbidden_words():
        assert text.lower() not in raw, text
    assert payload["sensitive"] is True and payload["topics"] == []
    assert payload["infos"] == [{"language": "it", "headline": payload["infos"][0]["headline"]}]
    assert "Porto Vecchio" in payload["infos"][0]["headline"]
    assert payload["url"] == alert_selectors.alert_public_url(alert)
    assert "cap_url" not in payload and "polygons" not in raw and "description" not in raw
    assert SubscriptionDelivery.objects.get().status == "sent"


def test_sensitive_alert_still_respects_area_choices(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("elsewhere@example.org", areas=("D06",))
    with django_capture_on_commit_callbacks(execute=True):
        alert = sensitive_alert(area="D02")
    run_tasks()
    assert mail.outbox == [] and alert_fan_out(alert_id=alert.pk).matched == 0
