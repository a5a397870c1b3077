from django.contrib import admin
from django.http import HttpRequest

from .models import Agency, Assignment, DeadlinePolicy, Membership, RoutingRule


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
