"""Forms of the community pages. They parse and check what a person typed; the services check it
again, so the API of a later day and the forms agree."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from streetlight.alerts.models import Alert

from .drafts import BusinessDraft, DrillText, WarningText
from .errors import CommunityInvalid
from .models import Business

LANGUAGES = list(settings.LANGUAGES)


def apply_errors(form: forms.Form, exc: CommunityInvalid) -> None:
    """Put a service's errors on the form's fields (unknown fields go to the top of the form)."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    sector = forms.ChoiceField(label=_("Sector"), choices=Business.Sector.choices)
    size = forms.ChoiceField(label=_("Size"), choices=Business.Size.choices)
    area = forms.ChoiceField(label=_("Area"), help_text=_("Where your business is."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Contact e-mail"), max_length=254, help_text=_("We send a link to confirm it; nothing counts before.")
    )
    language = forms.ChoiceField(label=_("Language of our e-mails"), choices=LANGUAGES)
    agree = forms.BooleanField(
        label=_("We agree to receive warnings and drill invitations for our business by e-mail."),
        error_messages={"required": _("Tick this box to register: warnings and drills come by e-mail.")},
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose…")), *areas]

    def to_draft(self) -> BusinessDraft:
        data = self.cleaned_data
        return BusinessDraft(
            name=data["name"],
            sector=data["sector"],
            size=data["size"],
            area_code=data["area"],
            contact_name=data.get("contact_name") or "",
            email=data["email"],
            language=data["language"],
        )


class AcknowledgeForm(forms.Form):
    done_items = forms.TypedMultipleChoiceField(
        label=_("What did you do?"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, what was hard? Do not write personal data."),
    )

    def __init__(self, *args: Any, items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["done_items"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i, item) for i, item in enumerate(items)]


class _PerLanguageForm(forms.Form):
    """A block of fields per language; a language is either left empty or filled completely."""

    PARTS: tuple[str, ...] = ()
    REQUIRED: tuple[str, ...] = ()

    def filled_languages(self) -> list[str]:
        data = self.cleaned_data
        return [code for code, _name in LANGUAGES if any((data.get(f"{p}_{code}") or "").strip() for p in self.PARTS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = self.filled_languages()
        if not filled:
            raise forms.ValidationError(_("Fill in the texts in at least one language."))
        for code in filled:
            for part in self.REQUIRED:
                if not (data.get(f"{part}_{code}") or "").strip() and f"{part}_{code}" not in self.errors:
                    self.add_error(f"{part}_{code}", _("Fill this in too, or leave this language empty altogether."))
        return data


def _language_fields(form_class: type[_PerLanguageForm], parts: dict[str, forms.Field]) -> None:
    for code, name in LANGUAGES:
        for part, field in parts.items():
            clone = copy.deepcopy(field)
            clone.label = format_lazy("{} ({})", field.label, name)
            form_class.base_fields[f"{part}_{code}"] = clone


class WarningForm(_PerLanguageForm):
    PARTS = ("headline", "description", "instruction")
    REQUIRED = ("headline", "description")

    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[(v, label) for v, label in Alert.Severity.choices if v != "Unknown"],
        initial=Alert.Severity.MODERATE,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=[(v, label) for v, label in Alert.Urgency.choices if v not in {"Past", "Unknown"}],
        initial=Alert.Urgency.EXPECTED,
    )
    expires_hours = forms.IntegerField(label=_("Valid for (hours)"), min_value=1, max_value=336, initial=24)

    def texts(self) -> dict[str, WarningText]:
        data = self.cleaned_data
        return {
            code: WarningText(
                headline=data.get(f"headline_{code}") or "",
                description=data.get(f"description_{code}") or "",
                instruction=data.get(f"instruction_{code}") or "",
            )
            for code in self.filled_languages()
        }


_language_fields(
    WarningForm,
    {
        "headline": forms.CharField(label=_("Headline"), max_length=160, required=False),
        "description": forms.CharField(
            label=_("What is happening"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
        ),
        "instruction": forms.CharField(
            label=_("What to do"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
        ),
    },
)


class DrillForm(_PerLanguageForm):
    PARTS = ("title", "scenario", "checklist")
    REQUIRED = ("title", "scenario", "checklist")

    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def texts(self) -> dict[str, DrillText]:
        data = self.cleaned_data
        return {
            code: DrillText(
                title=data.get(f"title_{code}") or "",
                scenario=data.get(f"scenario_{code}") or "",
                checklist=tuple(line.strip() for line in (data.get(f"checklist_{code}") or "").splitlines()),
            )
            for code in self.filled_languages()
        }


_language_fields(
    DrillForm,
    {
        "title": forms.CharField(label=_("Title"), max_length=120, required=False),
        "scenario": forms.CharField(
            label=_("Scenario"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
        ),
        "checklist": forms.CharField(
            label=_("Checklist, one item per line"),
            max_length=5000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
        ),
    },
)
