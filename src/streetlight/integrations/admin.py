"""Open311 clients in the admin. A new client's key is shown once, in the confirmation message:
only its hash is stored, so it cannot be shown again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import services
from .models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin[Open311Client]):
    list_display = ("name", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name",)
    readonly_fields = ("key_hash", "created_at")

    def get_fields(self, request: HttpRequest, obj: Open311Client | None = None) -> tuple[str, ...]:
        return ("name",) if obj is None else ("name", "active", "key_hash", "created_at")

    def save_model(self, request: HttpRequest, obj: Open311Client, form: ModelForm[Any], change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, raw_key = services.open311_client_create(name=obj.name, actor=request.user)
        obj.pk, obj.key_hash, obj.created_at = client.pk, client.key_hash, client.created_at
        message = _("API key of %(name)s (copy it now, it will not be shown again): %(key)s")
        self.message_user(request, message % {"name": client.name, "key": raw_key}, messages.WARNING)
