"""Background work of the subscriptions app, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from .delivery import alert_fan_out, delivery_send


@task()
def fan_out_alert(*, alert_id: int) -> None:
    """One delivery row, and one delivery task, per matching subscriber."""
    alert_fan_out(alert_id=alert_id)


@task()
def deliver_alert(*, delivery_id: int) -> None:
    """Try once; on a temporary failure queue the next try after a growing delay, as notify does."""
    delay = delivery_send(delivery_id=delivery_id)
    if delay is not None:
        deliver_alert.using(run_after=timezone.now() + delay).enqueue(delivery_id=delivery_id)
