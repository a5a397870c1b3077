from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "streetlight.control"
    label = "control"
