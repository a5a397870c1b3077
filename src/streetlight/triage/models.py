"""Triage in the platform: the classifier versions a city has trained, each report's triage, and the
operators' labels that the next version learns from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from streetlight.core.fields import EncryptedTextField
from streetlight.reports.models import Report


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class ModelStatus(models.TextChoices):
    TRAINING = "training", pgettext_lazy("triage model", "Training")
    READY = "ready", pgettext_lazy("triage model", "Ready")
    FAILED = "failed", pgettext_lazy("triage model", "Failed")


class ModelSource(models.TextChoices):
    SEED = "seed", _("Shipped seed texts")
    LABELS = "labels", _("Operators' labels")


class TriageModel(models.Model):
    """One trained classifier. The file is kept in the database, so every web process and worker
    reads the same version and a backup holds it; older versions stay for rollback."""

    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(_("trained on"), max_length=8, choices=ModelSource.choices)
    status = models.CharField(_("status"), max_length=8, choices=ModelStatus.choices, default=ModelStatus.TRAINING)
    error = models.TextField(_("error"), blank=True)
    payload = models.BinaryField(_("model file"), default=b"", editable=False)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    labels = models.JSONField(_("categories"), default=list, blank=True)
    trained_on = models.PositiveIntegerField(_("training texts"), default=0)
    held_out = models.PositiveIntegerField(_("held-out texts"), default=0)
    evaluation = models.JSONField(_("held-out evaluation"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("triage model")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_triage_model"),
            models.CheckConstraint(condition=~Q(active=True) | Q(status="ready"), name="only_ready_model_active"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_source_display()}, {self.created_at:%Y-%m-%d %H:%M})"


class ReportTriage(models.Model):
    """What triage made of a report: a suggestion for a human, never a decision."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="triage")
    model = models.ForeignKey(TriageModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(_("triaged at"))
    language = models.CharField(_("language of the text"), max_length=8)
    language_confidence = models.FloatField(default=0.0)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_score = models.FloatField(default=0.0)
    cues = models.JSONField(_("urgency cues"), default=list, blank=True)
    suggestions = models.JSONField(_("suggested categories"), default=list, blank=True)
    needs_human = models.BooleanField(_("needs a human"), default=True)
    redacted_description = EncryptedTextField(_("description without personal data"), blank=True)
    redactions = models.JSONField(_("what was redacted"), default=list, blank=True)

    class Meta:
        verbose_name = _("report triage")
        indexes = [models.Index(fields=["urgency"])]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.urgency}, {self.language}"


class TriageLabel(models.Model):
    """An operator's verdict on a report's categories: the training data of the next model. The text
    is the description with personal data redacted, so labels hold no e-mail, phone or address."""

    report = models.OneToOneField(Report, null=True, on_delete=models.SET_NULL, related_name="triage_label")
    text = EncryptedTextField(_("text"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    categories = models.JSONField(_("categories"), default=list)
    suggested = models.JSONField(_("suggested then"), default=list, blank=True)
    labelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    labelled_at = models.DateTimeField(_("labelled at"))

    class Meta:
        verbose_name = _("triage label")
        ordering = ["-labelled_at"]

    def __str__(self) -> str:
        return ", ".join(self.categories)
