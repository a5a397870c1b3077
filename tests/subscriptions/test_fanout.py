"""Fan-out: who receives an alert (areas, topics, exercises, scope), in which language, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from streetlight.alerts.models import Alert
from streetlight.audit.models import AuditEntry
from streetlight.subscriptions.delivery import alert_fan_out
from streetlight.subscriptions.models import SubscriptionDelivery

from .conftest import run_tasks
from .factories import issue, subscriber

pytestmark = pytest.mark.django_db


def _publish(capture: Any, **kwargs: Any) -> Alert:
    with capture(execute=True):
        alert = issue(**kwargs)
    run_tasks()
    return alert


def recipients() -> set[str]:
    return {address for m in mail.outbox for address in m.to}


def test_publishing_queues_the_fan_out_in_the_background(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        alert = issue()
    assert mail.outbox == []  # nothing is sent in the operator's request
    task = DBTaskResult.objects.get(task_path="streetlight.subscriptions.tasks.fan_out_alert")
    assert task.args_kwargs["kwargs"] == {"alert_id": alert.pk}


def test_areas_match_and_empty_means_the_whole_city(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("centre@example.org", areas=("D01",))
    subscriber("hill@example.org", areas=("D06",))
    subscriber("everywhere@example.org")
    _publish(django_capture_on_commit_callbacks, area="D01")
    assert recipients() == {"centre@example.org", "everywhere@example.org"}


def test_topics_match_top_level_categories_and_kinds(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("theft@example.org", topics=("theft",))
    subscriber("nuisance@example.org", topics=("nuisance",))
    subscriber("warnings@example.org", topics=("warning",))
    subscriber("all@example.org")
    _publish(django_capture_on_commit_callbacks, topics=("theft-bike",), kind="warning")
    assert recipients() == {"theft@example.org", "warnings@example.org", "all@example.org"}


def test_exercises_only_for_those_who_asked(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("resident@example.org")
    subscriber("shop@example.org", include_exercises=True)
    _publish(django_capture_on_commit_callbacks, status="Exercise")
    assert recipients() == {"shop@example.org"}
    assert "Exercise" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"scope": "Restricted", "restriction": "Night-time economy managers only"}, "scope"),
        ({"status": "Test"}, "test"),
    ],
)
def test_restricted_and_test_alerts_go_to_no_subscriber(
    django_capture_on_commit_callbacks: Any, kwargs: dict[str, Any], reason: str
) -> None:
    subscriber("a@example.org", include_exercises=True)
    alert = _publish(django_capture_on_commit_callbacks, **kwargs)
    assert mail.outbox == [] and not SubscriptionDelivery.objects.exists()
    entry = AuditEntry.objects.get(action="subscription.fan_out", target_id=str(alert.pk))
    assert entry.data["skipped"] == reason


def test_each_subscriber_gets_their_language(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("en@example.org", language="en")
    subscriber("fr@example.org", language="fr")
    subscriber("nl@example.org", language="nl")  # no Dutch text: the city's default (English)
    _publish(django_capture_on_commit_callbacks)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "en@example.org": "Bike thefts in D01",
        "fr@example.org": "Vols de vélos à D01",
        "nl@example.org": "Bike thefts in D01",
    }
    french = next(m for m in mail.outbox if m.to == ["fr@example.org"])
    assert "Plusieurs vélos volés" in french.body and "Attachez votre vélo." in french.body
    assert french.extra_headers["Content-Language"] == "fr"


def test_fan_out_twice_sends_once_and_is_audited_without_addresses(django_capture_on_commit_callbacks: Any) -> None:
    subscriber("once@example.org")
    subscriber("twice@example.org")
    alert = _publish(django_capture_on_commit_callbacks)
    again = alert_fan_out(alert_id=alert.pk)
    run_tasks()
    assert again.created == [] and again.matched == 2
    assert len(mail.outbox) == 2
    assert SubscriptionDelivery.objects.filter(alert=alert, status="sent").count() == 2
    entries = AuditEntry.objects.filter(action="subscription.fan_out", target_id=str(alert.pk)).order_by("seq")
    assert [e.data["queued"] for e in entries] == [2, 0]
    assert all("@" not in str(e.data) for e in entries)


def test_updates_and_cancellations_reach_subscribers_too(django_capture_on_commit_callbacks: Any) -> None:
    from streetlight.alerts.services import alert_cancel

    subscriber("follow@example.org")
    alert = _publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        alert_cancel(original=alert, note="The thieves were caught.", by=None)
    run_tasks()
    assert [m.subject.startswith("Cancelled") for m in mail.outbox] == [False, True]
