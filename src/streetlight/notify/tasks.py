"""Background sending of notifications, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from .services import assignment_email_send, delivery_attempt, reporter_email_send


@task()
def deliver_webhook(*, delivery_id: int) -> None:
    """Try once; on failure queue the next try after a growing delay (10 s … 3 h, 8 tries)."""
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None:
        deliver_webhook.using(run_after=timezone.now() + delay).enqueue(delivery_id=delivery_id)


@task()
def send_reporter_email(*, report_id: int, kind: str, text: str) -> None:
    reporter_email_send(report_id=report_id, kind=kind, text=text)


@task()
def send_assignment_email(*, assignment_id: int) -> None:
    assignment_email_send(assignment_id=assignment_id)
