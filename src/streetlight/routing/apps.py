from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "streetlight.routing"
    label = "routing"
