"""The rule preview: "which agencies would get this report?" for a category, place, time and consent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import Area, Category, Report

from .matching import Candidate, candidates


class PreviewForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(active=True).order_by("code"), label=_("Category")
    )
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), required=False, label=_("Area"))
    when = forms.DateTimeField(
        label=_("When (local time)"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    police = forms.BooleanField(label=_("Shared with the police"), required=False)
    victim_support = forms.BooleanField(label=_("Shared with victim support"), required=False)
    social_services = forms.BooleanField(label=_("Shared with social services"), required=False)
    city = forms.BooleanField(label=_("Shared with the city"), required=False)

    def preview(self) -> list[Candidate]:
        data = self.cleaned_data
        when: datetime = data.get("when") or timezone.now()
        if timezone.is_naive(when):
            when = when.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        report = Report(
            category=data["category"],
            area=data.get("area"),
            occurred_from=when,
            share_police=data["police"],
            share_victim_support=data["victim_support"],
            share_social_services=data["social_services"],
            share_city=data["city"],
        )
        return candidates(report)
