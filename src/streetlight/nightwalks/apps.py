from django.apps import AppConfig


class NightwalksConfig(AppConfig):
    name = "streetlight.nightwalks"
    label = "nightwalks"
