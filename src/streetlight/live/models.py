"""The live-stream outbox: one row per change a control-room screen should show.

Rows are written in the same transaction as the change, so a screen never shows a change that
was rolled back and never misses one that committed. Each row names the agencies whose members
may hear of it; nothing else about the report travels on the stream."""

from __future__ import annotations

from django.db import models


class StreamEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=40)
    report_id = models.BigIntegerField(db_index=True)
    agency_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} report {self.report_id}"
