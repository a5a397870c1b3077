from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "streetlight.reports"
    label = "reports"

    def ready(self) -> None:
        from . import signals

        signals.connect()
