"""Background sending of the community's e-mails, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from .mail import delivery_attempt


@task()
def send_delivery(*, delivery_id: int) -> None:
    """Try once; on a temporary failure queue the next try after a growing delay."""
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None:
        send_delivery.using(run_after=timezone.now() + delay).enqueue(delivery_id=delivery_id)
