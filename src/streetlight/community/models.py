"""The business community (FERM): businesses of a zone that registered for warnings and drills.

A business counts only after its contact confirmed the e-mail address (double opt-in) and, where
the community asks for it, after a coordinator approved it. Contact details are encrypted at rest;
a blind index lets us find a repeated registration without decrypting. Every e-mail we send to a
business is one `Delivery` row, written in the transaction that decided to send it (the outbox)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.alerts.models import Alert
from streetlight.core import crypto
from streetlight.core.fields import EncryptedTextField
from streetlight.reports.models import Area
from streetlight.routing.models import Agency

LANGUAGE_CHOICES = list(settings.LANGUAGES)


class Community(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name=_("zone"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="communities", verbose_name=_("coordinating agency")
    )
    approval_required = models.BooleanField(_("a coordinator approves new businesses"), default=True)
    active = models.BooleanField(_("open for registration"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business community")
        verbose_name_plural = _("business communities")

    def __str__(self) -> str:
        return self.name


class Business(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    class Sector(models.TextChoices):
        RETAIL = "retail", _("Shop or retail")
        HOSPITALITY = "hospitality", _("Bar, restaurant or hotel")
        LOGISTICS = "logistics", _("Transport, port or logistics")
        SERVICES = "services", _("Office or professional services")
        HEALTH = "health", _("Health or care")
        MANUFACTURING = "manufacturing", _("Manufacturing or crafts")
        ASSOCIATION = "association", _("Association or non-profit")
        OTHER = "other", _("Other")

    class Size(models.TextChoices):
        MICRO = "micro", _("1–9 people")
        SMALL = "small", _("10–49 people")
        MEDIUM = "medium", _("50–249 people")
        LARGE = "large", _("250 people or more")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField(_("business name"), max_length=120)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contact_name = EncryptedTextField(_("contact name"), blank=True)
    contact_email = EncryptedTextField(_("contact e-mail"))
    email_index = models.CharField(max_length=64, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    confirm_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The page token is kept encrypted as well as hashed: every later e-mail carries the link again.
    page_token = EncryptedTextField(editable=False)
    page_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    registered_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(confirmed_at__isnull=False),
                name="community_business_active_only_when_confirmed",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_index = crypto.blind_index(self.contact_email.strip().lower())
        super().save(*args, **kwargs)


class CommunityWarning(models.Model):
    """A warning to the members only: a Restricted CAP message naming the community."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="warnings")
    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="community_warning")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("community warning")
        verbose_name_plural = _("community warnings")

    def __str__(self) -> str:
        return f"{self.community} · {self.alert_id}"


class Drill(models.Model):
    """An exercise: when it starts, an Exercise CAP message goes out and every active business is
    asked to work through the checklist and acknowledge.

    `texts` maps a language to {"title", "scenario", "checklist": [items]}; item i is the same step
    in every language, so answers are stored as item numbers."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="drills")
    title = models.CharField(_("title"), max_length=120)
    texts = models.JSONField(_("texts per language"))
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    alert = models.OneToOneField(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="drill")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="scheduled") | models.Q(started_at__isnull=False, alert__isnull=False),
                name="community_drill_started_has_alert",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, language: str) -> dict[str, Any]:
        """The texts in `language`, else in the site's language, else the first written."""
        return self.texts.get(language) or self.texts.get(settings.LANGUAGE_CODE) or next(iter(self.texts.values()))

    @property
    def item_count(self) -> int:
        return len(self.text(settings.LANGUAGE_CODE)["checklist"])


class DrillAcknowledgement(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="acknowledgements")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(help_text=_("The first acknowledgement."))
    updated_at = models.DateTimeField()
    done_items = models.JSONField(_("checklist items done"), default=list)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("drill acknowledgement")
        verbose_name_plural = _("drill acknowledgements")
        constraints = [models.UniqueConstraint(fields=["drill", "business"], name="uniq_drill_ack_per_business")]

    def __str__(self) -> str:
        return f"{self.drill_id} · {self.business_id}"


class Delivery(models.Model):
    """One e-mail to one business about one warning or drill: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="deliveries")
    warning = models.ForeignKey(
        CommunityWarning, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    drill = models.ForeignKey(Drill, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("community e-mail")
        verbose_name_plural = _("community e-mails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(warning__isnull=False, drill__isnull=True)
                | models.Q(warning__isnull=True, drill__isnull=False),
                name="community_delivery_is_about_one_thing",
            ),
            models.UniqueConstraint(fields=["warning", "business"], name="uniq_community_warning_delivery"),
            models.UniqueConstraint(fields=["drill", "business"], name="uniq_community_drill_delivery"),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} ({self.status})"
