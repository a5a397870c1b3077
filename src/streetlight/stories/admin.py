"""The city lists its peer-support groups here. Stories are not in the admin: they are read and
decided in the moderation queue, where every step is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import PeerSupportGroup, PeerSupportGroupText


class PeerSupportGroupForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: shown whatever the visitor's language."),
    )

    class Meta:
        model = PeerSupportGroup
        fields = ["code", "url", "phone", "categories", "languages", "active", "order"]

    def clean_languages(self) -> list[str]:
        return list(self.cleaned_data.get("languages") or [])


class PeerSupportGroupTextInline(admin.StackedInline):
    model = PeerSupportGroupText
    extra = 1


@admin.register(PeerSupportGroup)
class PeerSupportGroupAdmin(admin.ModelAdmin):
    form = PeerSupportGroupForm
    inlines = [PeerSupportGroupTextInline]
    list_display = ["code", "active", "order", "language_list"]
    list_filter = ["active", "categories"]
    filter_horizontal = ["categories"]

    @admin.display(description=_("languages"))
    def language_list(self, obj: PeerSupportGroup) -> str:
        return ", ".join(obj.languages) or "—"

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).prefetch_related("texts")
