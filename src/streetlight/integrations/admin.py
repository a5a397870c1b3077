"""Open311 clients and agencies' API tokens in the admin. A new key is shown once, in the
confirmation message: only its hash is stored, so it cannot be shown again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from . import services
from .models import AgencyToken, Open311Client, TokenScope


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


class AgencyTokenForm(forms.ModelForm[AgencyToken]):
    scopes = forms.MultipleChoiceField(
        label=_lazy("scopes"), choices=TokenScope.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_days = forms.IntegerField(
        label=_lazy("valid for (days)"), min_value=1, max_value=services.MAX_TOKEN_DAYS, initial=90
    )

    class Meta:
        model = AgencyToken
        fields = ("agency", "name")


@admin.register(AgencyToken)
class AgencyTokenAdmin(admin.ModelAdmin[AgencyToken]):
    list_display = ("name", "agency", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("agency",)
    search_fields = ("name",)
    actions = ["revoke"]

    def get_form(
        self, request: HttpRequest, obj: AgencyToken | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = AgencyTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: AgencyToken | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("agency", "name", "scopes", "valid_days")
        return ("agency", "name", "scopes", "account", "created_at", "expires_at", "revoked_at", "last_used_at")

    def get_readonly_fields(self, request: HttpRequest, obj: AgencyToken | None = None) -> tuple[str, ...]:
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: AgencyToken | None = None) -> bool:
        return False  # revoke instead: the token stays as the record of what its account did

    def save_model(self, request: HttpRequest, obj: AgencyToken, form: ModelForm[Any], change: bool) -> None:
        if change:
            return
        # The form already holds the service's rules (name length, known scopes, 1 to 366 days).
        token, raw_key = services.agency_token_create(
            agency=form.cleaned_data["agency"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            valid_days=form.cleaned_data["valid_days"],
            actor=request.user,
        )
        obj.pk = token.pk
        message = _("Token for %(name)s (copy it now, it will not be shown again): %(key)s")
        self.message_user(request, message % {"name": token.name, "key": raw_key}, messages.WARNING)

    @admin.action(description=_lazy("Revoke the selected tokens now"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[AgencyToken]) -> None:
        for token in queryset.select_related("agency"):
            services.agency_token_revoke(token=token, actor=request.user)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", len(queryset)) % {"count": len(queryset)},
            messages.SUCCESS,
        )
