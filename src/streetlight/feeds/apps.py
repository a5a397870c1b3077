from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "streetlight.feeds"
    label = "feeds"
