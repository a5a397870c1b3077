"""Admin for the city's administrator: categories with their guidance per language, support
services, areas. Reports are read-only here; the control room works them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .catalog_cache import catalog_changed
from .enums import Need
from .models import Area, Category, CategoryText, Report, StatusChange, SupportService, SupportServiceText


class CatalogAdmin:
    """Edits to categories or services invalidate every process's cached guidance."""

    def save_related(self, request: HttpRequest, form: BaseModelForm[Any], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        catalog_changed()


class CategoryTextInline(admin.StackedInline[CategoryText, Category]):
    model = CategoryText
    extra = 0


@admin.register(Category)
class CategoryAdmin(CatalogAdmin, admin.ModelAdmin[Category]):
    list_display = ("code", "parent", "kind", "sensitive", "public_open311", "active", "order")
    list_filter = ("kind", "sensitive", "active", "parent")
    search_fields = ("code", "texts__name")
    inlines = [CategoryTextInline]
    filter_horizontal = ("support_services",)


class SupportServiceTextInline(admin.StackedInline[SupportServiceText, SupportService]):
    model = SupportServiceText
    extra = 0


class SupportServiceForm(forms.ModelForm[SupportService]):
    """The needs a service answers as boxes to tick, not JSON to type."""

    needs = forms.MultipleChoiceField(
        label=_("helps with"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Shown to whoever asks for one of these when reporting, with the category's own services."),
    )

    class Meta:
        model = SupportService
        fields = ("code", "phone", "url", "always_open", "hours", "order", "needs", "lat", "lon")
        help_texts = {
            "lat": _(
                "Where people can go, to list the nearest first. Leave both empty for a phone line or a "
                "confidential address (a shelter)."
            ),
        }


@admin.register(SupportService)
class SupportServiceAdmin(CatalogAdmin, admin.ModelAdmin[SupportService]):
    form = SupportServiceForm
    list_display = ("code", "phone", "url", "always_open", "helps_with", "order")
    list_filter = ("always_open",)
    inlines = [SupportServiceTextInline]

    @admin.display(description=_("helps with"))
    def helps_with(self, obj: SupportService) -> str:
        labels = dict(Need.choices)
        return ", ".join(str(labels.get(code, code)) for code in obj.needs or [])


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ("code", "name", "level")
    search_fields = ("code", "name")


class StatusChangeInline(admin.TabularInline[StatusChange, Report]):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "at", "actor", "public_note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """The record of a report without its content: no words, no exact place, no contact details.
    Reading a report is for the agencies the reporter chose, in the control room; an administrator
    answering a person's request uses the audited data-request screen."""

    list_display = ("reference", "category", "status", "source", "created_at", "area")
    list_filter = ("status", "kind", "source", "category__sensitive")
    search_fields = ("reference",)
    date_hierarchy = "created_at"
    inlines = [StatusChangeInline]
    fields = (
        "reference",
        "kind",
        "category",
        "language",
        "source",
        "status",
        "merged_into",
        "split_from",
        "area",
        "share_police",
        "share_victim_support",
        "share_social_services",
        "share_city",
        "may_contact",
        "public_statistics",
        "created_at",
        "updated_at",
        "processed_at",
        "anonymised_at",
        "anonymised_by",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
