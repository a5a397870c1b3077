"""Police-recorded crime imported for the dark-number comparison (counts per month, city area and
crime type only — never the police's individual records), the published flashpoint forecasts, and
the context calendar they may learn from (public events, nightlife venues, paydays and holidays):
places and times, never people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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

    class Horizon(models.TextChoices):
        DAY = "day", _("Tomorrow")
        WEEKEND = "weekend", _("Next weekend")

    created_at = models.DateTimeField(_("made at"))
    horizon = models.CharField(_("window"), max_length=16, choices=Horizon.choices, default=Horizon.DAY)
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


class ContextEvent(models.Model):
    """A public event the context model may expect crowds at: a match, a concert, a market…

    It describes a place and a time, never the people who organise or attend it. A point, an area,
    or both: an area without a point spreads the expected crowd over the whole area."""

    class Kind(models.TextChoices):
        MATCH = "match", _("Match")
        CONCERT = "concert", _("Concert")
        MARKET = "market", _("Market")
        FESTIVAL = "festival", _("Festival")
        DEMONSTRATION = "demonstration", _("Demonstration")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    area = models.ForeignKey(
        "reports.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    size = models.PositiveIntegerField(_("expected attendance"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("public event")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["end", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="context_event_ends_after_start"),
            models.CheckConstraint(condition=Q(size__gte=1), name="context_event_size_positive"),
            models.CheckConstraint(
                condition=Q(lat__isnull=False, lon__isnull=False) | Q(area__isnull=False),
                name="context_event_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%Y-%m-%d})"


class NightlifeVenue(models.Model):
    """A bar or club and its weekly opening hours (OpenStreetMap syntax, e.g. "Fr,Sa 18:00-04:00")."""

    name = models.CharField(_("name"), max_length=200)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    opening_hours = models.CharField(_("opening hours"), max_length=300)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("nightlife venue")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class CalendarRules(models.Model):
    """The city's payday rules and public holidays: one row, edited by analysts and city admins."""

    paydays = models.TextField(_("payday rules"), blank=True)  # one toolkit PaydayRule per line
    holidays_name = models.CharField(_("public holidays of"), max_length=120, blank=True)
    holidays = models.JSONField(_("public holidays"), default=list, blank=True)  # ISO dates, sorted
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("paydays and public holidays")
        verbose_name_plural = _("paydays and public holidays")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def payday_lines(self) -> list[str]:
        return [line.strip() for line in self.paydays.splitlines() if line.strip()]


class PrivateRelease(models.Model):
    """One differentially private open-data table and the ε it spent: together, these rows are the
    privacy ledger. Written once, never changed (see insight/private_release.py)."""

    release_id = models.CharField(_("release"), max_length=120, unique=True)
    dataset = models.CharField(_("dataset"), max_length=64)
    quarter = models.CharField(_("quarter"), max_length=8)
    epsilon = models.FloatField(_("ε spent"))
    mechanism = models.CharField(_("mechanism"), max_length=120)
    sensitivity = models.PositiveIntegerField(_("reports per person bound"), default=1)
    scale = models.FloatField(_("noise scale"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    areas = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    counts = models.JSONField(default=list)
    created_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["dataset", "quarter"], name="one_private_release_per_quarter")]
        verbose_name = _("private open-data release")
        verbose_name_plural = _("private open-data releases")

    def __str__(self) -> str:
        return f"{self.release_id} (ε = {self.epsilon:g})"
