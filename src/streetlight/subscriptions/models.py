"""Subscriptions to area warnings and their delivery log.

An e-mail address is the personal data here: it is stored encrypted, and found again through a
keyed blind index (core.crypto.blind_index), never by decrypting every row. Unsubscribing wipes the
address, its index, the webhook URL and secret and the confirmation token, and keeps a tombstone
row: the delivery log still counts what was sent, without saying to whom.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class Subscription(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Signed webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Address bounced")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    name = models.CharField(
        _("partner name"), max_length=120, blank=True, help_text=_("Webhooks: who receives them (for the admin).")
    )
    email = EncryptedTextField(_("e-mail"), blank=True, validators=[MaxLengthValidator(254)])
    email_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    areas = models.JSONField(
        _("areas"), default=list, blank=True, help_text=_("City area codes; empty: the whole city.")
    )
    topics = models.JSONField(
        _("topics"), default=list, blank=True, help_text=_("Top-level report categories or alert kinds; empty: all.")
    )
    include_exercises = models.BooleanField(
        _("include exercises"), default=False, help_text=_("Also receive drills (CAP status Exercise).")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    # Choices asked for by someone re-subscribing an active address: applied only once confirmed,
    # so nobody can change another person's subscription by typing their address.
    pending_choices = models.JSONField(default=dict, blank=True, editable=False)
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The unsubscribe link goes into every e-mail, so the token is kept (encrypted) as well as hashed.
    unsubscribe_token = EncryptedTextField(blank=True, editable=False)
    unsubscribe_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    webhook_secret = EncryptedTextField(
        _("webhook signing secret"),
        blank=True,
        validators=[MaxLengthValidator(128)],
        help_text=_("Shared with the partner; they check the Streetlight-Signature header with it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash"], condition=~Q(email_hash=""), name="uniq_subscription_email_hash"
            ),
            models.CheckConstraint(
                condition=Q(channel="webhook") | ~Q(email_hash="") | Q(status__in=["unsubscribed"]),
                name="subscription_email_has_address",
            ),
            models.CheckConstraint(
                condition=Q(channel="email") | ~Q(webhook_url="") | Q(status__in=["unsubscribed"]),
                name="subscription_webhook_has_url",
            ),
        ]

    def __str__(self) -> str:
        who = self.name or (_("e-mail subscriber") if self.channel == self.Channel.EMAIL else self.webhook_url)
        return f"{who} #{self.pk} ({self.status})"


class SubscriptionDelivery(models.Model):
    """One alert to one subscriber: written once (unique), so a fan-out that runs twice sends once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SKIPPED = "skipped", _("Skipped")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    alert = models.ForeignKey("alerts.Alert", on_delete=models.CASCADE, related_name="subscription_deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription delivery")
        verbose_name_plural = _("subscription deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "alert"], name="uniq_subscription_delivery"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.subscription_id} ({self.status})"
