"""City administrators configure sources here and read the ingest log; posts and signals are not
editable (and a post's text is not shown: operators see it in the control room when it matters)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import FeedSource, Health, IngestRun, Signal


@admin.action(description=_("Resume the selected sources (health back to OK)"))
def resume(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    queryset.update(health=Health.OK, failures=0)


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin[FeedSource]):
    list_display = ("name", "kind", "active", "health", "failures", "last_success_at", "schedule_minutes")
    list_filter = ("kind", "active", "health")
    search_fields = ("name",)
    actions = [resume]
    readonly_fields = ("cursor", "health", "failures", "last_error", "last_fetch_at", "last_success_at")
    fieldsets = (
        (None, {"fields": ("name", "kind", "url", "mapping", "language", "active")}),
        (_("Schedule and limits"), {"fields": ("schedule_minutes", "min_interval_seconds", "max_posts_per_run")}),
        (_("Privacy"), {"fields": ("retention_days",)}),
        (_("Push"), {"fields": ("webhook_secret",)}),
        (_("State"), {"fields": readonly_fields}),
    )


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnly):
    list_display = ("source", "started_at", "outcome", "fetched", "new", "duplicates", "skipped", "signals")
    list_filter = ("outcome", "pushed", "source")


@admin.register(Signal)
class SignalAdmin(ReadOnly):
    list_display = ("place", "area_code", "window_start", "post_count", "score", "status")
    list_filter = ("status",)
    exclude = ("posts",)
