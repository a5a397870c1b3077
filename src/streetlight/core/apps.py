from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "streetlight.core"
    label = "core"
    verbose_name = "Streetlight"
