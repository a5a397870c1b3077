"""Organised safety walks, the audits residents and walkers send, the rated points along a route and
their photos (re-encoded without metadata on arrival).

A walk's join code is a secret handed to participants: only its SHA-256 is kept, like a report's
follow-up token, so a copy of the database does not let anyone add audits to a walk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import LANGUAGE_CHOICES, Area
from streetlight.routing.models import Agency

from .parameters import CODES, FEELING, MAX_RATING, MIN_RATING, OPTIONAL


class WalkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")  # the first audit arrived: the walk is under way
    CLOSED = "closed", _("Closed")


class SafetyWalk(models.Model):
    """A walk organised by an agency: people meet, walk a route at night and each send an audit."""

    title = models.CharField(_("title"), max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="safety_walks")
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    meeting_point = models.CharField(_("meeting point"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    route = models.JSONField(_("route (GeoJSON LineString)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WalkStatus.choices, default=WalkStatus.PLANNED)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("safety walk")
        verbose_name_plural = _("safety walks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="closed_walk_has_closed_at"
            )
        ]

    def __str__(self) -> str:
        return self.title


class WalkAudit(models.Model):
    """One person's audit: a participant of a walk, or a resident walking on their own (no walk)."""

    walk = models.ForeignKey(SafetyWalk, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The sun at the time and the points' mean place: night once civil twilight has ended.
    is_night = models.BooleanField(_("at night"))
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("safety-walk audit")
        verbose_name_plural = _("safety-walk audits")

    def __str__(self) -> str:
        return f"audit {self.pk}"


def _rating_in_range(code: str, *, required: bool) -> models.CheckConstraint:
    in_range = Q(**{f"{code}__gte": MIN_RATING, f"{code}__lte": MAX_RATING})
    return models.CheckConstraint(
        condition=in_range if required else Q(**{f"{code}__isnull": True}) | in_range,
        name=f"audit_point_{code}_0_to_3",
    )


class AuditPoint(models.Model):
    """A place on the route rated on SafetiPin's nine parameters (0 = poor … 3 = good)."""

    audit = models.ForeignKey(WalkAudit, on_delete=models.CASCADE, related_name="points")
    order = models.PositiveSmallIntegerField(_("order"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lighting = models.PositiveSmallIntegerField(_("lighting"), null=True, blank=True)
    openness = models.PositiveSmallIntegerField(_("openness"), null=True, blank=True)
    visibility = models.PositiveSmallIntegerField(_("visibility"), null=True, blank=True)
    people = models.PositiveSmallIntegerField(_("people"), null=True, blank=True)
    security = models.PositiveSmallIntegerField(_("security"), null=True, blank=True)
    walk_path = models.PositiveSmallIntegerField(_("walk path"), null=True, blank=True)
    public_transport = models.PositiveSmallIntegerField(_("public transport"), null=True, blank=True)
    gender_usage = models.PositiveSmallIntegerField(_("gender usage"), null=True, blank=True)
    feeling = models.PositiveSmallIntegerField(_("feeling"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["audit", "order"]
        verbose_name = _("audit point")
        verbose_name_plural = _("audit points")
        constraints = [
            *(_rating_in_range(code, required=False) for code in OPTIONAL),
            _rating_in_range(FEELING, required=True),
            models.UniqueConstraint(fields=["audit", "order"], name="uniq_audit_point_order"),
        ]

    def __str__(self) -> str:
        return f"point {self.order} of audit {self.audit_id}"

    def ratings(self) -> dict[str, int | None]:
        return {code: getattr(self, code) for code in CODES}


def audit_photo_path(instance: AuditPhoto, filename: str) -> str:
    return f"nightwalks/{instance.added_at:%Y/%m}/{filename}"


class AuditPhoto(models.Model):
    """A photo of an audit point, re-encoded on arrival (reports.services.photos): no EXIF, no GPS."""

    point = models.ForeignKey(AuditPoint, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=audit_photo_path)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.image.name or ""
