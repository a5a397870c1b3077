"""Outgoing notifications to agencies: signed webhooks and their delivery log.

A delivery row is written in the same transaction as the change it reports, then sent by a
background task that retries with back-off; the receiver deduplicates on the delivery key."""

from __future__ import annotations

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField
from streetlight.routing.models import Agency


class Webhook(models.Model):
    """Where an agency's system hears of its reports: a signed JSON webhook, or another city's or
    back-office's Open311 GeoReport v2 endpoint that the report is forwarded to."""

    class Kind(models.TextChoices):
        JSON = "json", _("Signed JSON webhook")
        OPEN311 = "open311", _("Open311 GeoReport v2 forward")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="webhooks")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.JSON)
    url = models.URLField(_("URL"), max_length=500)
    # Encrypted at rest like reporters' contact details: a leaked database must not let anyone sign
    # webhooks as us or post to a partner's Open311 endpoint with our key.
    secret = EncryptedTextField(
        _("signing secret or API key"),
        validators=[MaxLengthValidator(128)],
        help_text=_("JSON: the shared signing secret. Open311: the api_key the endpoint gave us."),
    )
    service_codes = models.JSONField(
        _("Open311 service codes"),
        default=dict,
        blank=True,
        help_text=_(
            'Open311 only: our category code → their service_code, e.g. {"public-space-streetlight": "LIGHT"}.'
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")

    def __str__(self) -> str:
        return f"{self.agency}: {self.url}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    remote_id = models.CharField(max_length=100, blank=True, help_text=_("Open311: the receiver's request id."))
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
