from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "streetlight.accounts"
    label = "accounts"
