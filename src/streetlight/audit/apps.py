from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "streetlight.audit"
    label = "audit"
