"""The control room's warning form: one set of texts per language, and the area as a city area, a
circle or a polygon. It only parses; the service decides what is valid CAP."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from streetlight.toolkit.formats.cap import CATEGORIES, RESPONSE_TYPES

from .drafts import AlertDraft, AreaDraft, InfoDraft
from .models import Alert

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT_FIELDS = ("event", "headline", "description", "instruction")


class AlertForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Kind"), choices=Alert.Kind.choices)
    status = forms.ChoiceField(
        label=_lazy("Status"),
        choices=Alert.Status.choices,
        help_text=_lazy("An exercise is a drill: readers are told it is not real."),
    )
    scope = forms.ChoiceField(label=_lazy("Who may see it"), choices=Alert.Scope.choices[:2])
    restriction = forms.CharField(label=_lazy("Restricted to"), max_length=200, required=False)
    cap_categories = forms.MultipleChoiceField(
        label=_lazy("CAP categories"),
        choices=[(c, c) for c in CATEGORIES],
        initial=["Safety"],
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(label=_lazy("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_lazy("Urgency"), choices=Alert.Urgency.choices, initial="Expected")
    severity = forms.ChoiceField(label=_lazy("Severity"), choices=Alert.Severity.choices, initial="Moderate")
    certainty = forms.ChoiceField(label=_lazy("Certainty"), choices=Alert.Certainty.choices, initial="Likely")
    response_types = forms.MultipleChoiceField(
        label=_lazy("What people should do"),
        choices=[(r, r) for r in RESPONSE_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    onset = forms.DateTimeField(label=_lazy("From"), required=False, widget=DATETIME_INPUT)
    expires = forms.DateTimeField(label=_lazy("Until"), widget=DATETIME_INPUT)
    area_mode = forms.ChoiceField(
        label=_lazy("Where"),
        choices=[("area", _lazy("A city area")), ("circle", _lazy("A circle")), ("polygon", _lazy("A polygon"))],
        widget=forms.RadioSelect,
        initial="area",
    )
    area_code = forms.ChoiceField(label=_lazy("City area"), required=False)
    circle_lat = forms.FloatField(label=_lazy("Centre latitude"), required=False)
    circle_lon = forms.FloatField(label=_lazy("Centre longitude"), required=False)
    circle_radius_km = forms.FloatField(label=_lazy("Radius (km)"), required=False)
    polygon = forms.CharField(
        label=_lazy("Polygon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy('CAP form "lat,lon lat,lon …" (first point repeated at the end), or a GeoJSON Polygon.'),
    )
    area_description = forms.CharField(label=_lazy("Name of the area"), max_length=200, required=False)

    def __init__(
        self, *args: Any, area_choices: list[tuple[str, str]], topic_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area_code"]).choices = [("", "—"), *area_choices]
        cast(forms.MultipleChoiceField, self.fields["topics"]).choices = topic_choices
        self.languages = list(settings.LANGUAGES)
        for code, _name in self.languages:
            self.fields[f"event_{code}"] = forms.CharField(label=_lazy("Event"), max_length=120, required=False)
            self.fields[f"headline_{code}"] = forms.CharField(label=_lazy("Headline"), max_length=160, required=False)
            self.fields[f"description_{code}"] = forms.CharField(
                label=_lazy("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"instruction_{code}"] = forms.CharField(
                label=_lazy("What to do"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            for name_ in TEXT_FIELDS:
                self.fields[f"{name_}_{code}"].widget.attrs["lang"] = code

    def language_blocks(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(code, name, [self[f"{f}_{code}"] for f in TEXT_FIELDS]) for code, name in self.languages]

    def clean_polygon(self) -> tuple[tuple[float, float], ...] | None:
        text = self.cleaned_data["polygon"].strip()
        if not text:
            return None
        try:
            return parse_polygon(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def to_draft(self) -> AlertDraft:
        data = self.cleaned_data
        mode = data["area_mode"]
        circle = None
        if mode == "circle":
            parts = (data.get("circle_lat"), data.get("circle_lon"), data.get("circle_radius_km"))
            if any(p is None for p in parts):
                self.add_error("circle_radius_km", _("Give the centre and the radius of the circle."))
            else:
                circle = (float(parts[0]), float(parts[1]), float(parts[2]))  # type: ignore[arg-type]
        infos = tuple(
            InfoDraft(
                language=code,
                event=data[f"event_{code}"],
                headline=data[f"headline_{code}"],
                description=data[f"description_{code}"],
                instruction=data[f"instruction_{code}"],
            )
            for code, _name in self.languages
            if any(data[f"{f}_{code}"].strip() for f in TEXT_FIELDS)
        )
        return AlertDraft(
            infos=infos,
            area=AreaDraft(
                description=data["area_description"],
                area_code=(data["area_code"] or None) if mode == "area" else None,
                polygon=data["polygon"] if mode == "polygon" else None,
                circle=circle,
            ),
            expires=data["expires"],
            kind=data["kind"],
            status=data["status"],
            scope=data["scope"],
            restriction=data["restriction"],
            cap_categories=tuple(data["cap_categories"]),
            topics=tuple(data["topics"]),
            urgency=data["urgency"],
            severity=data["severity"],
            certainty=data["certainty"],
            response_types=tuple(data["response_types"]),
            onset=data["onset"],
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """File the service's errors under the form's fields (infos[i].x → x_<language>)."""
        written = [
            code for code, _n in self.languages if any(self.cleaned_data.get(f"{f}_{code}") for f in TEXT_FIELDS)
        ]
        for key, messages in errors.items():
            field: str | None = key
            if key.startswith("infos["):
                index = int(key[6 : key.index("]")])
                name = key.split(".", 1)[1] if "." in key else "headline"
                field = f"{name}_{written[index]}" if index < len(written) and name in TEXT_FIELDS else None
            elif key == "area":
                field = {"area": "area_code", "circle": "circle_radius_km", "polygon": "polygon"}[
                    self.cleaned_data.get("area_mode", "area")
                ]
            elif key not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


def parse_polygon(text: str) -> tuple[tuple[float, float], ...]:
    """A ring of (lat, lon) from CAP's "lat,lon lat,lon" text or a GeoJSON Polygon (lon, lat)."""
    if text.startswith("{"):
        try:
            obj = json.loads(text)
            if obj.get("type") == "Feature":
                obj = obj.get("geometry") or {}
            if obj.get("type") != "Polygon":
                raise ValueError
            return tuple((float(lat), float(lon)) for lon, lat, *_rest in obj["coordinates"][0])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            raise ValueError(_("Not a GeoJSON Polygon.")) from None
    points = []
    for pair in text.split():
        try:
            lat, lon = pair.split(",")
            points.append((float(lat), float(lon)))
        except ValueError:
            raise ValueError(_('"%(pair)s" is not a "lat,lon" pair.') % {"pair": pair[:40]}) from None
    return tuple(points)
