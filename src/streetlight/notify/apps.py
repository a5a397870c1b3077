from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "streetlight.notify"
    label = "notify"
