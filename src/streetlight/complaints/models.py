"""One complaint hand-over per report: the reporter's consent, its preparation and the police reference."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import Report


class Complaint(models.Model):
    """Consent is active when given and not withdrawn; once a police reference is recorded the
    consent can no longer be withdrawn and the report counts as recorded by the police."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="complaint")
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    police_reference = models.CharField(_("police reference"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("formal complaint")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recorded_at__isnull=True) | ~models.Q(police_reference=""),
                name="complaint_recorded_has_reference",
            )
        ]

    def __str__(self) -> str:
        return f"complaint for {self.report_id}"

    @property
    def consent_active(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None

    @property
    def recorded(self) -> bool:
        return self.recorded_at is not None
