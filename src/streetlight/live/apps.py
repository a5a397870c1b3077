from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "streetlight.live"
    label = "live"
