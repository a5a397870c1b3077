"""Internal notes on a report: for one agency (need to know) or shared with every assigned agency.
Never shown to the reporter; replies to the reporter are reports.Message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField
from streetlight.reports.models import Report
from streetlight.routing.models import Agency


class JointCase(models.Model):
    """Several reports about one person or place that several agencies work together. Each member
    still sees only the reports shared with their own agency."""

    title = models.CharField(_("title"), max_length=200)
    agencies = models.ManyToManyField(Agency, related_name="joint_cases")
    reports = models.ManyToManyField(Report, related_name="joint_cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("joint case")

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    case = models.ForeignKey(JointCase, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Only this agency sees the note; empty: every agency working the report."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = EncryptedTextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, case__isnull=True) | Q(report__isnull=True, case__isnull=False),
                name="note_on_report_or_case",
            )
        ]

    def __str__(self) -> str:
        return f"note on {self.report_id or self.case_id}"
