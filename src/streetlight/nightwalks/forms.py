"""HTML forms: they check shape only (types, choices); the services check the rest, and their
errors, named `points.<n>.<field>`, are put back beside the right field of the right point."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from streetlight.reports.drafts import PhotoUpload
from streetlight.reports.forms import MultiplePhotoField, _local

from .drafts import AuditDraft, PointDraft, WalkDraft
from .parameters import FEELING, PARAMETERS
from .validation import MAX_COMMENT, MAX_POINT_COMMENT, MAX_POINTS

UNRATED = ""


class PointForm(forms.Form):
    """One place on the route: where, the nine ratings, a comment and photos."""

    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    comment = forms.CharField(
        label=_("Comment on this place (optional)"),
        required=False,
        max_length=MAX_POINT_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = MultiplePhotoField(label=_("Photos of this place (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for parameter in PARAMETERS:
            required = parameter.code == FEELING
            levels = [(n, f"{n} · {label}") for n, label in enumerate(parameter.levels)]
            self.fields[parameter.code] = forms.TypedChoiceField(
                label=parameter.label,
                help_text=parameter.question,
                coerce=int,
                empty_value=None,
                required=required,
                choices=levels if required else [(UNRATED, _("Not rated")), *levels],
                initial=None if required else UNRATED,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say how safe you feel here, from 0 (very unsafe) to 3 (safe)."),
                    "invalid_choice": _("Choose one of the ratings from 0 to 3."),
                },
            )

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[p.code] for p in PARAMETERS]

    def to_draft(self) -> PointDraft:
        data = self.cleaned_data
        return PointDraft(
            lat=data.get("lat"),
            lon=data.get("lon"),
            ratings={p.code: data.get(p.code) for p in PARAMETERS},
            comment=data.get("comment") or "",
            photos=tuple(PhotoUpload(name=f.name or "photo", content=f.read()) for f in data.get("photos") or []),
        )


class BasePointFormSet(BaseFormSet[PointForm]):
    def used_forms(self) -> list[tuple[int, PointForm]]:
        """The points the walker filled in: an added point left blank is not a point."""
        return [(n, form) for n, form in enumerate(self.forms) if n < self.min_num or form.has_changed()]


PointFormSet = formset_factory(
    PointForm,
    formset=BasePointFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_POINTS,
    absolute_max=MAX_POINTS,
    validate_max=True,
)
POINTS_PREFIX = "points"


def point_formset(data: Any = None, files: Any = None, **kwargs: Any) -> BasePointFormSet:
    formset = PointFormSet(data, files, prefix=POINTS_PREFIX, **kwargs)
    assert isinstance(formset, BasePointFormSet)
    return formset


def with_one_more_point(points: BasePointFormSet) -> BasePointFormSet:
    """Without JavaScript, "Add another point" sends the page: show it again with what was typed
    and one more empty point (file inputs cannot be refilled: photos are chosen last)."""
    rows = [{name: form[name].value() for name in form.fields if name != "photos"} for form in points.forms]
    return point_formset(initial=[*rows, {}][:MAX_POINTS])


class AuditForm(forms.Form):
    comment = forms.CharField(
        label=_("Anything else about this walk? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128, required=False)


def audit_draft(form: AuditForm, points: BasePointFormSet, *, language: str) -> tuple[AuditDraft, list[int]]:
    """The draft, and for each of its points the index of the form it came from."""
    used = points.used_forms()
    draft = AuditDraft(
        points=tuple(f.to_draft() for _n, f in used),
        comment=form.cleaned_data.get("comment") or "",
        language=language,
        idempotency_key=form.cleaned_data.get("idempotency_key") or None,
    )
    return draft, [n for n, _f in used]


def apply_errors(errors: dict[str, str], form: AuditForm, points: BasePointFormSet, order: list[int]) -> None:
    """Each service error beside its field: `points.<n>.<field>` on that point's form."""
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == POINTS_PREFIX and parts[1].isdigit() and int(parts[1]) < len(order):
            point = points.forms[order[int(parts[1])]]
            point.add_error(parts[2] if parts[2] in point.fields else None, message)
        else:
            form.add_error(key if key in form.fields else None, message)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Walk code"),
        max_length=200,
        help_text=_("The code or link your walk's organiser gave you, like ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Type the code of your walk.")},
    )


class WalkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    agency = forms.TypedChoiceField(label=_("Organising agency"), coerce=int)
    area = forms.ChoiceField(label=_("Area (optional)"), required=False)
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    route = forms.CharField(
        label=_("Route (optional)"),
        help_text=_('A GeoJSON LineString, like {"type": "LineString", "coordinates": [[lon, lat], …]}.'),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def __init__(
        self, *args: Any, agencies: list[tuple[int, str]], areas: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        area = self.fields["area"]
        assert isinstance(agency, forms.ChoiceField) and isinstance(area, forms.ChoiceField)
        agency.choices = agencies
        area.choices = [("", _("No particular area")), *areas]

    def clean_route(self) -> object:
        raw = (self.cleaned_data.get("route") or "").strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: paste a GeoJSON LineString.")) from exc

    def to_draft(self) -> WalkDraft:
        data = self.cleaned_data
        return WalkDraft(
            title=data["title"],
            agency_id=data["agency"],
            starts_at=_local(data["starts_at"]),
            meeting_point=data.get("meeting_point") or "",
            area_code=data.get("area") or "",
            route=data.get("route"),
        )
