from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "streetlight.reports"
    label = "reports"
