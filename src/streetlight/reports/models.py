"""Categories with their guidance, areas, and reports with everything a reporter gave us.

Contact details live in their own table so that every read of them can be audited and they can
be encrypted and purged on their own schedule."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from streetlight.core import crypto
from streetlight.core.fields import EncryptedTextField

from .enums import INTERPRETER_LANGUAGE_MAX, Anonymisation, DayNight, Kind, LocationKind, Need, Source, WhenKind
from .fields import EncryptedCodesField
from .lifecycle import Status

STATUS_CHOICES = [
    (Status.RECEIVED.value, _("Received")),
    (Status.IN_PROGRESS.value, _("In progress")),
    (Status.WAITING_FOR_REPORTER.value, _("Waiting for your reply")),
    (Status.RESOLVED.value, _("Resolved")),
    (Status.CLOSED.value, _("Closed")),
    (Status.REJECTED.value, _("Not taken up")),
    (Status.MERGED.value, _("Merged with another report")),
    (Status.REOPENED.value, _("Reopened")),
]
LANGUAGE_CHOICES = settings.LANGUAGES


def pick_translation(texts: dict[str, Any], language: str | None = None) -> Any:
    """The text in the asked language, else English, else any: a page is never blank."""
    lang = (language or get_language() or "en")[:2]
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)


class SupportService(models.Model):
    """A helpline or service a person can turn to; shown as guidance with its opening hours."""

    code = models.SlugField(_("code"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    always_open = models.BooleanField(_("always open"), default=False)
    # {"mon": [["09:00", "17:00"]], ...}; empty when always open
    hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    # Need codes (enums.Need) this service answers: it is shown to whoever asked for one of them.
    needs = models.JSONField(_("helps with"), default=list, blank=True)
    # Where a person can go; empty for a phone line or a place whose address must stay confidential.
    lat = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="support_service_lat_lon_together",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if any(code not in Need.values for code in self.needs or []):
            raise ValidationError({"needs": _("Choose the needs from the list.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both the latitude and the longitude, or neither.")})

    def text(self, language: str | None = None) -> SupportServiceText | None:
        texts = {t.language: t for t in self.texts.all()}
        return pick_translation(texts, language)


class SupportServiceText(models.Model):
    service = models.ForeignKey(SupportService, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "language"], name="uniq_service_text_language")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A main category or a sub-category (one level deep), with its kind and sensitivity."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Hate, sexual or domestic violence…: never listed publicly, locations never shown."),
    )
    public_open311 = models.BooleanField(_("listed in Open311"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    support_services = models.ManyToManyField(SupportService, blank=True, related_name="categories")
    # Retention overrides, in days after a report is closed; empty: the parent's, else the defaults
    # (reports.retention, docs/operations.md).
    retention_contact_days = models.PositiveIntegerField(
        _("wipe contact details after (days)"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    retention_anonymise_days = models.PositiveIntegerField(
        _("anonymise after (days)"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    retention_delete_days = models.PositiveIntegerField(
        _("delete after (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the default. 0: never delete, keep the anonymous statistic."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=~Q(sensitive=True, public_open311=True), name="sensitive_never_open311")
        ]

    def __str__(self) -> str:
        return self.code

    def text(self, language: str | None = None) -> CategoryText | None:
        texts = {t.language: t for t in self.texts.all()}
        return pick_translation(texts, language)

    def name(self, language: str | None = None) -> str:
        text = self.text(language)
        return text.name if text else self.code


class CategoryText(models.Model):
    """Plain-language help and guidance for one category in one language, edited in the admin."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("name"), max_length=120)
    help = models.CharField(_("plain description"), max_length=300, blank=True)
    guidance_now = models.TextField(_("what to do now"), blank=True, help_text=_("One step per line."))
    rights = models.TextField(_("your rights"), blank=True)
    keywords = models.CharField(_("search words"), max_length=400, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "language"], name="uniq_category_text_language")]
        verbose_name = _("category text")

    def __str__(self) -> str:
        return f"{self.category.code} [{self.language}]"

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.guidance_now.splitlines() if line.strip()]


class Area(models.Model):
    """A district or neighbourhood, loaded from GeoJSON; the geometry stays GeoJSON so SQLite
    and PostgreSQL store it alike and shapely reads it directly."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=32, default="district")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    geometry = models.JSONField(_("geometry"))
    properties = models.JSONField(_("properties"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    # Free text a victim wrote: encrypted at rest like contact details (a leaked database must not
    # expose it); search decrypts (control.selectors).
    description = EncryptedTextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=STATUS_CHOICES, default=Status.RECEIVED.value, db_index=True
    )
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    split_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="splits")

    when_kind = models.CharField(_("when"), max_length=8, choices=WhenKind.choices)
    occurred_from = models.DateTimeField(_("occurred from"), db_index=True)
    occurred_to = models.DateTimeField(_("occurred to"), null=True, blank=True)

    location_kind = models.CharField(_("location"), max_length=8, choices=LocationKind.choices)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    precision_m = models.PositiveIntegerField(_("precision (m)"), null=True, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    address = EncryptedTextField(_("address or place"), blank=True, validators=[MaxLengthValidator(300)])
    public_lat = models.FloatField(null=True, blank=True, editable=False)
    public_lon = models.FloatField(null=True, blank=True, editable=False)

    # Consent: each flag is the reporter's explicit choice, stored as given.
    share_police = models.BooleanField(_("share with the police"))
    share_victim_support = models.BooleanField(_("share with victim support"))
    share_social_services = models.BooleanField(_("share with social services"))
    share_city = models.BooleanField(_("share with the city"))
    may_contact = models.BooleanField(_("may contact the reporter"))
    public_statistics = models.BooleanField(_("count in public statistics"))

    # "I feel unsafe here"
    safety_score = models.PositiveSmallIntegerField(_("how safe (1–5)"), null=True, blank=True)
    unsafe_reasons = models.JSONField(_("why unsafe"), default=list, blank=True)
    day_night = models.CharField(_("day or night"), max_length=8, choices=DayNight.choices, blank=True)

    # The needs assessment (enums.Need): health and safety data, encrypted like the description.
    needs = EncryptedCodesField(_("help asked for"), blank=True, default=list)
    interpreter_language = EncryptedTextField(
        _("interpreter language"), blank=True, validators=[MaxLengthValidator(INTERPRETER_LANGUAGE_MAX)]
    )

    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    # Set when the personal content was removed; the report stays as an anonymous statistic.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    anonymised_by = models.CharField(
        _("anonymised by"), max_length=16, choices=Anonymisation.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(safety_score__isnull=True) | Q(safety_score__gte=1, safety_score__lte=5),
                name="safety_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(location_kind="point") | Q(lat__isnull=False, lon__isnull=False),
                name="point_has_coordinates",
            ),
        ]
        indexes = [models.Index(fields=["category", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def recipients(self) -> list[str]:
        flags = {
            "police": self.share_police,
            "victim_support": self.share_victim_support,
            "social_services": self.share_social_services,
            "city": self.share_city,
        }
        return [name for name, allowed in flags.items() if allowed]

    @property
    def statistics_only(self) -> bool:
        return not self.recipients


class FollowupToken(models.Model):
    """A reporter's key to their report. Only a SHA-256 of the token is kept; a retried submission
    gets a fresh token for the same report instead of a copy of the first one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followup_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token of {self.report_id}"


class ReportContact(models.Model):
    """Optional contact details, apart from the report, encrypted at rest (AES-256-GCM) and read only
    through an audited selector; `email_index` finds them by address without decrypting."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = EncryptedTextField(_("name"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"contact of {self.report_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_index = crypto.blind_index(self.email)
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """Append-only history of a report's status; the current status is also on Report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, choices=STATUS_CHOICES)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class Message(models.Model):
    """Something said about a report: a reporter's addition or a staff reply (public or not)."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("You")
        STAFF = "staff", _("Case worker")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=16, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    public = models.BooleanField(default=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_kind} on {self.report_id}"


class Feedback(models.Model):
    """How the reporter rated the answer once the report was resolved or closed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="feedback")
    score = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="feedback_score_1_to_5")]

    def __str__(self) -> str:
        return f"{self.score}/5 on {self.report_id}"


def photo_path(instance: Photo, filename: str) -> str:
    return f"reports/{instance.report.created_at:%Y/%m}/{filename}"


class Photo(models.Model):
    """An image re-encoded on arrival, so no EXIF or GPS data from the phone is ever kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.image.name or ""
