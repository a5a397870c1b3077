"""Internal notes on a report: for one agency (need to know) or shared with every assigned agency.
Never shown to the reporter; replies to the reporter are reports.Message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import Report
from streetlight.routing.models import Agency


class Note(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Only this agency sees the note; empty: every agency working the report."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"note on {self.report_id}"
