"""Walks, their trusted contacts and positions. Everything personal is encrypted and deleted a few
minutes after the walk ends (services/purge): only an anonymous stub stays, so an old link can say
"this walk has ended" instead of "unknown link"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField

from .fields import EncryptedFloatField


class WalkStatus(models.TextChoices):
    ACTIVE = "active", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    ALERTED = "alerted", _("Alert sent")
    ENDED = "ended", _("Ended")


class AlertReason(models.TextChoices):
    OVERDUE = "overdue", _("Did not check in on time")
    BUTTON = "button", _("Pressed the alert button")


FINISHED = (WalkStatus.ARRIVED, WalkStatus.ENDED)


class Walk(models.Model):
    """One walk home. Tokens are kept only as SHA-256 hashes: the resident's link (control) and the
    contacts' link (watch only) are different, so a contact can never end or extend the walk."""

    resident_name = EncryptedTextField(_("name shown to your contacts"), blank=True)
    destination = EncryptedTextField(_("destination"), blank=True)
    destination_lat = EncryptedFloatField(_("destination latitude"), null=True, blank=True)
    destination_lon = EncryptedFloatField(_("destination longitude"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    alert_control_room = models.BooleanField(_("also alert the control room"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=WalkStatus.choices, default=WalkStatus.ACTIVE)
    alert_reason = models.CharField(_("alert reason"), max_length=8, choices=AlertReason.choices, blank=True)
    started_at = models.DateTimeField(_("started at"))
    expected_arrival = models.DateTimeField(_("expected arrival"))
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    button_alerted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    control_references = models.JSONField(default=list, blank=True)
    # The control-room reports' follow-up tokens, so a later check-in reaches the responders too.
    control_tokens = EncryptedTextField(blank=True)
    resident_token_hash = models.CharField(max_length=64, unique=True)
    watch_token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["status", "expected_arrival"]), models.Index(fields=["purged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_arrival__gt=models.F("started_at")), name="walk_arrival_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "alerted"]) | Q(finished_at__isnull=False),
                name="walk_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"walk {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def alerted_at(self) -> object:
        return min((t for t in (self.overdue_alerted_at, self.button_alerted_at) if t), default=None)


class TrustedContact(models.Model):
    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="contacts")
    email = EncryptedTextField(_("e-mail"))
    name = EncryptedTextField(_("name"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"contact {self.pk} of walk {self.walk_id}"


class Position(models.Model):
    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="positions")
    lat = EncryptedFloatField(_("latitude"))
    lon = EncryptedFloatField(_("longitude"))
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        indexes = [models.Index(fields=["walk", "-recorded_at"])]

    def __str__(self) -> str:
        return f"position {self.pk} of walk {self.walk_id}"
