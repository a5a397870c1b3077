from django.apps import AppConfig


class CompanionConfig(AppConfig):
    name = "streetlight.companion"
    label = "companion"
