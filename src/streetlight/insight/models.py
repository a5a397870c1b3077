"""Police-recorded crime imported for the dark-number comparison: counts per month, city area and
crime type only — never the police's individual records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PoliceImport(models.Model):
    at = models.DateTimeField(_("imported at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("layout"), max_length=16)  # "police.uk" or "mapped csv"
    files = models.JSONField(_("files"), default=list)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    crimes = models.PositiveIntegerField(_("crimes kept"), default=0)
    bad_rows = models.PositiveIntegerField(_("rows refused"), default=0)
    outside_city = models.PositiveIntegerField(_("crimes outside the city's areas"), default=0)
    months = models.JSONField(_("months"), default=list)

    class Meta:
        verbose_name = _("police statistics import")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.source} {', '.join(self.months)}"


class RecordedCrime(models.Model):
    police_import = models.ForeignKey(PoliceImport, on_delete=models.CASCADE, related_name="records")
    month = models.DateField(_("month"))  # the first day of the month
    area_code = models.CharField(_("area"), max_length=32)
    crime_type = models.CharField(_("crime type"), max_length=120)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("recorded crime count")
        indexes = [models.Index(fields=["month"])]
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code", "crime_type"], name="one_count_per_month_area_type")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_code} {self.crime_type}: {self.count}"


class Forecast(models.Model):
    """One published flashpoint forecast: the cells flagged for a coming window and the card that
    says how far to trust it. About places and times only — never about people."""

    created_at = models.DateTimeField(_("made at"))
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    method = models.CharField(_("method"), max_length=32)
    resolution = models.PositiveSmallIntegerField(_("H3 resolution"))
    cells = models.JSONField(_("flagged cells"), default=list)  # [{"cell": "89…", "risk": 0.8}, …]
    card = models.JSONField(_("forecast card"), default=dict)

    class Meta:
        verbose_name = _("flashpoint forecast")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.window_start:%Y-%m-%d}"
