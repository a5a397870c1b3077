from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from .models import Agency, Assignment, DeadlinePolicy, Membership, RoutingRule
from .preview import PreviewForm


class MembershipInline(admin.TabularInline[Membership, Agency]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("name", "code", "kind", "consent_scope", "receives_unrouted", "active")
    list_filter = ("kind", "consent_scope", "active")
    search_fields = ("name", "code")
    inlines = [MembershipInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ("name", "active", "sensitivity", "time_from", "time_to")
    list_filter = ("active", "sensitivity")
    filter_horizontal = ("categories", "areas", "agencies")
    change_list_template = "routing/rule_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="routing_rule_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """Which agencies would get a report like this one, and which does the consent rule out?"""
        form = PreviewForm(request.GET or None)
        results = form.preview() if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "results": results,
            "title": _("Which agencies would get this report?"),
            "opts": self.model._meta,
        }
        return render(request, "routing/rule_preview.html", context)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin[DeadlinePolicy]):
    list_display = ("category", "amount", "unit", "working_time")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ("report", "agency", "status", "deadline_at", "escalated_at")
    list_filter = ("agency", "status")
    readonly_fields = (
        "report",
        "agency",
        "consent_scope",
        "created_at",
        "updated_at",
        "deadline_at",
        "late_after",
        "escalated_at",
        "version",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
