"""Warning rules are configured in the admin; published messages are shown read-only there, since a
CAP message is never edited (the control room publishes an update or a cancellation instead)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Alert, AlertRule


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin[AlertRule]):
    list_display = ("name", "threshold", "window_hours", "lifetime_hours", "status", "active")
    list_filter = ("active", "status")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("identifier", "msg_type", "status", "scope", "sent", "expires")
    list_filter = ("status", "scope", "msg_type")
    search_fields = ("identifier",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
