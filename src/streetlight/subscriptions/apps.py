"""Residents and partners subscribe to area warnings: e-mail with double opt-in, Atom, signed webhooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "streetlight.subscriptions"
    label = "subscriptions"
    verbose_name = _("Warning subscriptions")

    def ready(self) -> None:
        from streetlight.alerts.signals import alert_published

        from .receivers import on_alert_published

        alert_published.connect(on_alert_published, dispatch_uid="subscriptions.fan_out")
