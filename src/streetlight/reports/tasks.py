"""Background work for reports, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task

from .services.processing import report_process


@task()
def process_report(*, report_id: int) -> None:
    """Process a report once it is committed: today its public, blurred location."""
    report_process(report_id=report_id)
