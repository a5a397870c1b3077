"""Triage in the Django admin: labels can be reviewed and a wrong one deleted; models are read-only
here (train and activate them on the triage page, where the evaluation is shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import TriageLabel, TriageModel


@admin.register(TriageLabel)
class TriageLabelAdmin(admin.ModelAdmin[TriageLabel]):
    list_display = ["labelled_at", "language", "categories", "labelled_by"]
    list_filter = ["language"]
    readonly_fields = ["report", "text", "language", "categories", "suggested", "labelled_by", "labelled_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin[TriageModel]):
    list_display = ["pk", "created_at", "source", "status", "active", "trained_on", "held_out"]
    list_filter = ["status", "active", "source"]
    exclude = ["payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
