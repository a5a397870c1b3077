from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import signin
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ("preferred_language",)}))
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (lost phone): set up a new app at next sign-in"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        for user in queryset:
            signin.second_factor_reset(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "Second factor reset for %(count)d account.",
                "Second factor reset for %(count)d accounts.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )
