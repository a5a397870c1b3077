from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "streetlight.chat"
    label = "chat"
