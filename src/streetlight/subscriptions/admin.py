"""City admins manage partners' webhook subscriptions here and read the delivery log. E-mail
subscribers manage themselves (double opt-in, unsubscribe link): their addresses are never shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Subscription, SubscriptionDelivery


class WebhookSubscriptionForm(forms.ModelForm[Subscription]):
    webhook_secret = forms.CharField(
        label=_("webhook signing secret"),
        min_length=16,
        max_length=128,
        widget=forms.TextInput(attrs={"size": 60, "autocomplete": "off"}),
        help_text=_("Shared with the partner; they check the Streetlight-Signature header with it."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "webhook_url", "webhook_secret", "language", "areas", "topics", "include_exercises", "status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("webhook_url"):
            self.add_error("webhook_url", _("A webhook needs a URL."))
        choices = services.Choices(
            language=data.get("language") or "",
            areas=tuple(data.get("areas") or ()),
            topics=tuple(data.get("topics") or ()),
        )
        for field, message in services.choices_errors(choices).items():
            self.add_error(field, message)
        return data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    form = WebhookSubscriptionForm
    list_display = ("__str__", "channel", "language", "status", "created_at", "confirmed_at")
    list_filter = ("channel", "status", "language")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("email")

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        """E-mail subscriptions are the resident's own: visible in the list, changed only by them."""
        if obj is not None and obj.channel == Subscription.Channel.EMAIL:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if obj.status == Subscription.Status.UNSUBSCRIBED and change:
            services.subscription_unsubscribe(sub=obj, reason="admin")
            return
        services.webhook_subscription_save(sub=obj, by=request.user)


@admin.register(SubscriptionDelivery)
class SubscriptionDeliveryAdmin(admin.ModelAdmin[SubscriptionDelivery]):
    """The delivery log: read-only."""

    list_display = ("created_at", "alert", "subscription", "status", "attempts", "sent_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in SubscriptionDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SubscriptionDelivery | None = None) -> bool:
        return False
