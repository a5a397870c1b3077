from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "streetlight.complaints"
    label = "complaints"
