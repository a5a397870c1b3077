"""The reporter's story form and the moderator's two forms. Their checks are the services' own
(`text_clean`, `reason_clean`), so a message names the same limit wherever it is met."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import StoryRefused
from .models import MAX_LENGTH, REASON_MAX_LENGTH


def _checked(check: Any, value: str) -> str:
    try:
        return str(check(value))
    except StoryRefused as exc:
        raise forms.ValidationError(exc.message) from None


class StoryForm(forms.Form):
    text = forms.CharField(
        label=_("Your story"),
        strip=False,
        error_messages={"required": _("Write your story, or leave this page: sharing it is optional.")},
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": MAX_LENGTH, "aria-describedby": "text-hint"}),
    )
    language = forms.ChoiceField(label=_("Language of your story"), choices=settings.LANGUAGES)
    publish = forms.BooleanField(
        label=_("I agree that, after a moderator has read it, my story is published as described above."),
        error_messages={"required": _("Tick the box to agree to publication, or leave this page.")},
    )

    def clean_text(self) -> str:
        return _checked(services.text_clean, self.cleaned_data["text"])


class ModerationForm(forms.Form):
    text = forms.CharField(
        label=_("Text to publish"),
        strip=False,
        error_messages={"required": _("Give the text to publish.")},
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": MAX_LENGTH}),
    )

    def clean_text(self) -> str:
        return _checked(services.text_clean, self.cleaned_data["text"])


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not published (the author reads this)"),
        error_messages={"required": _("Say why, in a sentence the author will read.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH}),
    )

    def clean_reason(self) -> str:
        return _checked(services.reason_clean, self.cleaned_data["reason"])
