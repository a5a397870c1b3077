"""Background work for reports, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task

from streetlight.notify.services import assignments_notify
from streetlight.routing.services import report_route
from streetlight.triage.services import report_triage

from .services.processing import report_process


@task()
def process_report(*, report_id: int) -> None:
    """Process a report once it is committed: its public, blurred location, its triage (suggested
    categories, language, urgency, redacted text), then its routing to the agencies the reporter
    agreed to inform. Every step is idempotent, so a retried task is harmless."""
    report = report_process(report_id=report_id)
    if report is not None:
        report_triage(report_id=report.pk)
        assignments_notify(assignments=report_route(report=report))
