from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ("agency", "url", "active", "created_at")
    list_filter = ("active", "agency")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """The delivery log: read-only."""

    list_display = ("created_at", "event", "webhook", "status", "attempts", "last_status_code")
    list_filter = ("status", "event")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
