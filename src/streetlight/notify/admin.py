from django import forms
from django.contrib import admin
from django.http import HttpRequest

from streetlight.core.fields import EncryptedTextField

from .models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ("agency", "url", "active", "created_at")
    list_filter = ("active", "agency")
    formfield_overrides = {EncryptedTextField: {"widget": forms.TextInput(attrs={"size": 60, "autocomplete": "off"})}}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """The delivery log: read-only."""

    list_display = ("created_at", "event", "webhook", "status", "attempts", "last_status_code")
    list_filter = ("status", "event")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
