from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "streetlight.routing"
    label = "routing"

    def ready(self) -> None:
        from .signals import connect

        connect()
