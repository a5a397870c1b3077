"""HTML forms for residents. They check shape only; the service checks the rest and its errors
are put back on the right field."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .drafts import Consent, ContactDraft, PhotoUpload, ReportDraft
from .enums import INTERPRETER_LANGUAGE_MAX, DayNight, LocationKind, Need, UnsafeReason, WhenKind

RECIPIENT_CHOICES = [
    ("police", _("Police")),
    ("victim_support", _("Victim support")),
    ("social_services", _("Social services")),
    ("city", _("The city")),
    ("none", _("Nobody: statistics only")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


def _local(value: datetime | None) -> datetime | None:
    """datetime-local inputs carry no zone: they mean the city's local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


class WhereMixin(forms.Form):
    location_kind = forms.ChoiceField(
        label=_("Where did it happen?"),
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        initial=LocationKind.POINT,
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    precision_m = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(label=_("Area"), required=False)
    address = forms.CharField(
        label=_("Street, place or landmark (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128, required=False)

    def set_areas(self, areas: list[tuple[str, str]]) -> None:
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose an area")), *areas]


class NeedsMixin(forms.Form):
    """The needs assessment: optional, a few boxes; the service checks the language goes with them."""

    needs = forms.MultipleChoiceField(
        label=_("Would you like help? (optional)"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose the help you would like from the list.")},
    )
    interpreter_language = forms.CharField(
        label=_("Which language would you like? (optional)"),
        required=False,
        max_length=INTERPRETER_LANGUAGE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "language"}),
    )

    def needs_for_draft(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "needs": tuple(data.get("needs") or ()),
            "interpreter_language": data.get("interpreter_language") or "",
        }


class ReportForm(NeedsMixin, WhereMixin):
    category = forms.CharField(
        label=_("What happened?"),
        max_length=64,
        error_messages={"required": _("Choose what happened from the list.")},
    )
    when = forms.ChoiceField(
        label=_("When did it happen?"),
        choices=WhenKind.choices,
        widget=forms.RadioSelect,
        initial=WhenKind.NOW,
    )
    occurred_from = forms.DateTimeField(
        label=_("Date and time (or start)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    occurred_to = forms.DateTimeField(
        label=_("End (for a period)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(
        label=_("What happened, in your own words"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)
    recipients = forms.MultipleChoiceField(
        label=_("Who may receive your report?"),
        choices=RECIPIENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    public_statistics = forms.BooleanField(
        label=_("Count my report, anonymously, in public statistics"), required=False, initial=True
    )
    may_contact = forms.BooleanField(label=_("You may contact me about this report"), required=False)
    contact_name = forms.CharField(label=_("Name (optional)"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def __init__(self, *args: Any, category_kinds: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_kinds = category_kinds or {}

    def clean(self) -> dict[str, Any]:
        """Say everything that is missing at once, not in two rounds: the description is needed for
        everything but a feeling of insecurity."""
        data = super().clean() or {}
        kind = self.category_kinds.get(data.get("category") or "")
        if kind and kind != "feeling" and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe what happened in a few words."))
        return data

    def clean_recipients(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("recipients") or []
        if not chosen:
            raise forms.ValidationError(_("Choose who may receive your report, or “Nobody: statistics only”."))
        if "none" in chosen and len(chosen) > 1:
            raise forms.ValidationError(_("“Nobody: statistics only” cannot be combined with a recipient."))
        return chosen

    def to_draft(self, *, language: str) -> ReportDraft:
        data = self.cleaned_data
        chosen = set(data["recipients"])
        contact = ContactDraft(
            name=data.get("contact_name") or "",
            email=data.get("contact_email") or "",
            phone=data.get("contact_phone") or "",
        )
        return ReportDraft(
            category=data["category"],
            description=data.get("description") or "",
            language=language,
            when=data["when"],
            occurred_from=_local(data.get("occurred_from")),
            occurred_to=_local(data.get("occurred_to")),
            location=data["location_kind"],
            lat=data.get("lat"),
            lon=data.get("lon"),
            precision_m=data.get("precision_m"),
            area=data.get("area") or None,
            address=data.get("address") or "",
            consent=Consent(
                police="police" in chosen,
                victim_support="victim_support" in chosen,
                social_services="social_services" in chosen,
                city="city" in chosen,
                contact=bool(data.get("may_contact")),
                public_statistics=bool(data.get("public_statistics")),
            ),
            contact=None if contact.empty else contact,
            photos=tuple(PhotoUpload(name=f.name or "photo", content=f.read()) for f in data.get("photos") or []),
            **self.needs_for_draft(),
        )


class UnsafeForm(NeedsMixin, WhereMixin):
    reasons = forms.MultipleChoiceField(
        label=_("Why? (optional)"),
        choices=UnsafeReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    day_night = forms.ChoiceField(label=_("Is it day or night?"), choices=DayNight.choices, widget=forms.RadioSelect)
    tell_city = forms.BooleanField(label=_("Also tell the city's safety team"), required=False)
    safety_score = forms.TypedChoiceField(
        label=_("How safe do you feel here?"),
        coerce=int,
        choices=[
            (1, _("Very unsafe")),
            (2, _("Unsafe")),
            (3, _("So-so")),
            (4, _("Fairly safe")),
            (5, _("Safe")),
        ],
    )

    def to_draft(self, *, language: str, category: str) -> ReportDraft:
        data = self.cleaned_data
        return ReportDraft(
            category=category,
            language=language,
            location=data["location_kind"],
            lat=data.get("lat"),
            lon=data.get("lon"),
            precision_m=data.get("precision_m"),
            area=data.get("area") or None,
            address=data.get("address") or "",
            consent=Consent(
                police=False,
                victim_support=False,
                social_services=False,
                city=bool(data.get("tell_city")),
                contact=False,
                public_statistics=True,
            ),
            safety_score=data["safety_score"],
            unsafe_reasons=tuple(data.get("reasons") or ()),
            day_night=data["day_night"],
            **self.needs_for_draft(),
        )


class AddInformationForm(forms.Form):
    body = forms.CharField(
        label=_("Add information"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well did we answer?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, _("Not at all")), (2, _("Poorly")), (3, _("Partly")), (4, _("Well")), (5, _("Very well"))],
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not solved?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowupLookupForm(forms.Form):
    token = forms.CharField(label=_("Your follow-up code or link"), max_length=300)


# Service field names mapped to this form's fields.
FORM_FIELDS = {
    "lat": "lat",
    "lon": "lon",
    "area": "area",
    "location": "location_kind",
    "when": "when",
    "consent.contact": "may_contact",
    "contact.email": "contact_email",
    "contact.phone": "contact_phone",
    "contact.name": "contact_name",
    "unsafe_reasons": "reasons",
}
