"""The start form: parses types only; the rules (times, addresses, limits) live in the service so
the messages are the same wherever a walk is started from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .drafts import ContactDraft, WalkDraft

SLOTS = range(1, 6)


class StartForm(forms.Form):
    destination = forms.CharField(
        label=gettext_lazy("Where are you going?"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 200}),
    )
    arrival_minutes = forms.IntegerField(
        label=gettext_lazy("I expect to arrive in … minutes"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 360}),
    )
    arrival_time = forms.TimeField(
        label=gettext_lazy("or at this time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    resident_name = forms.CharField(
        label=gettext_lazy("Your name, as your contacts know you (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "maxlength": 100}),
    )
    alert_control_room = forms.BooleanField(
        label=gettext_lazy("Also alert the city's control room if something goes wrong"), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails to your contacts"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in SLOTS:
            self.fields[f"contact_email_{i}"] = forms.CharField(
                label=_("E-mail of contact %(n)d") % {"n": i},
                required=False,
                widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
            )
            self.fields[f"contact_name_{i}"] = forms.CharField(
                label=_("Name of contact %(n)d (optional)") % {"n": i}, required=False
            )

    def contact_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"contact_email_{i}"], self[f"contact_name_{i}"]) for i in SLOTS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in SLOTS:
            if data.get(f"contact_name_{i}", "").strip() and not data.get(f"contact_email_{i}", "").strip():
                self.add_error(f"contact_email_{i}", _("Give this person's e-mail address, or remove the name."))
        return data

    def to_draft(self) -> WalkDraft:
        data = self.cleaned_data
        contacts = tuple(
            ContactDraft(email=data[f"contact_email_{i}"].strip(), name=data[f"contact_name_{i}"].strip(), slot=i)
            for i in SLOTS
            if data.get(f"contact_email_{i}", "").strip()
        )
        return WalkDraft(
            destination=data.get("destination") or "",
            contacts=contacts,
            resident_name=data.get("resident_name") or "",
            arrival_minutes=data.get("arrival_minutes"),
            arrival_time=data.get("arrival_time"),
            alert_control_room=bool(data.get("alert_control_room")),
            language=data.get("language") or "en",
        )
