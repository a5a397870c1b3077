from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "streetlight.community"
    label = "community"
