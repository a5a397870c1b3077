"""Forms of the context calendar. Each refusal names its field; rules and opening hours are read by
the toolkit's own parsers, so what the form accepts is exactly what the forecast can use."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from streetlight.reports.geo import area_index
from streetlight.reports.models import Area
from streetlight.toolkit.forecast import ForecastInputError, OpeningHours, PaydayRule

from ..models import ContextEvent, NightlifeVenue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_FILE_BYTES = 2 * 1024 * 1024
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _coordinate(label: StrOrPromise, limit: int, required: bool) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=required,
        min_value=-limit,
        max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


def _check_inside(form: forms.BaseForm, lat: float | None, lon: float | None) -> None:
    if lat is None or lon is None:
        return
    index = area_index()
    if index is not None and not index.contains(lat, lon):
        form.add_error("lat", _("This point is outside the city's areas."))


class ContextEventForm(forms.ModelForm):
    lat = _coordinate(_("Latitude"), 90, required=False)
    lon = _coordinate(_("Longitude"), 180, required=False)
    size = forms.IntegerField(
        label=_("Expected attendance"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("A rough number of people; the forecast compares events by it."),
    )

    class Meta:
        model = ContextEvent
        fields = ["name", "kind", "start", "end", "lat", "lon", "area", "size"]
        help_texts = {
            "name": _("What and where, e.g. “Derby at the city stadium”. Never the name of a person."),
            "area": _("Without a point, the crowd is spread over the whole area."),
        }
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) and not self.has_error("lat") and not self.has_error("lon"):
            self.add_error("lon" if lon is None else "lat", _("Give both latitude and longitude, or neither."))
        elif lat is None and lon is None and not data.get("area") and not self.has_error("lat"):
            self.add_error("lat", _("Give a point (latitude and longitude) or choose an area."))
        _check_inside(self, lat, lon)
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class NightlifeVenueForm(forms.ModelForm):
    lat = _coordinate(_("Latitude"), 90, required=True)
    lon = _coordinate(_("Longitude"), 180, required=True)

    class Meta:
        model = NightlifeVenue
        fields = ["name", "lat", "lon", "opening_hours"]
        help_texts = {
            "opening_hours": _("OpenStreetMap style, e.g. “Mo-Th 18:00-02:00; Fr,Sa 18:00-04:00; Su off”."),
        }

    def clean_opening_hours(self) -> str:
        text = str(self.cleaned_data["opening_hours"]).strip()
        try:
            OpeningHours.parse(text)
        except ForecastInputError as exc:
            raise forms.ValidationError(str(exc)) from None
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _check_inside(self, data.get("lat"), data.get("lon"))
        return data


def _lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines with `#` comments and blanks left out."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((number, line))
    return out


class CalendarRulesForm(forms.Form):
    paydays = forms.CharField(
        label=_("Payday rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One rule per line: “last working day”, “first working day”, “day 15”, “every friday”, "
            "“every other friday from 2026-01-09”."
        ),
    )
    holidays_name = forms.CharField(
        label=_("Public holidays of"),
        required=False,
        max_length=120,
        help_text=_("The country or region the dates below are for, e.g. “Italy”."),
    )
    holidays = forms.CharField(
        label=_("Public holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One date per line, e.g. 2026-12-25; text after # is a comment."),
    )

    def clean_paydays(self) -> list[str]:
        rules = []
        for number, line in _lines(self.cleaned_data["paydays"]):
            try:
                PaydayRule.parse(line)
            except ForecastInputError as exc:
                raise forms.ValidationError(_("Line %(n)s: %(reason)s") % {"n": number, "reason": exc}) from None
            rules.append(line)
        return rules

    def clean_holidays(self) -> list[date]:
        days = []
        for number, line in _lines(self.cleaned_data["holidays"]):
            try:
                days.append(date.fromisoformat(line))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(text)s” is not a date like 2026-12-25.") % {"n": number, "text": line}
                ) from None
        return days

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("holidays") and not data.get("holidays_name"):
            self.add_error("holidays_name", _("Say whose public holidays these are."))
        return data


class CalendarImportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("The file holds"),
        choices=[("events", _("Public events (CSV or ICS)")), ("venues", _("Nightlife venues (CSV)"))],
        widget=forms.RadioSelect,
        initial="events",
    )
    kind = forms.ChoiceField(
        label=_("Kind of the imported events"), choices=ContextEvent.Kind.choices, initial=ContextEvent.Kind.OTHER
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Events: CSV with name, start, end, lon, lat, size, or an ICS calendar whose events carry GEO. "
            "Venues: CSV with name, lon, lat, opening_hours. Times are the city's local time."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is None:
            return data
        suffix = Path(upload.name or "").suffix.lower()
        allowed = (".csv",) if data.get("what") == "venues" else (".csv", ".ics", ".ical")
        if suffix not in allowed:
            self.add_error("file", _("Choose a file ending in %(ends)s.") % {"ends": " or ".join(allowed)})
        elif upload.size > MAX_FILE_BYTES:
            self.add_error("file", _("The file is larger than 2 MB."))
        return data
