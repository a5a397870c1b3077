"""Listens to the alerts app: every published message is fanned out to subscribers in the
background. The signal is sent after the alert's transaction commits, so the task never sees a
message that was rolled back."""

from __future__ import annotations

from typing import Any

from streetlight.alerts.models import Alert


def on_alert_published(sender: Any, *, alert: Alert, **kwargs: Any) -> None:
    from .tasks import fan_out_alert

    fan_out_alert.enqueue(alert_id=alert.pk)
