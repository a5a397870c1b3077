from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "streetlight.integrations"
    label = "integrations"
