from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "streetlight.alerts"
    label = "alerts"
