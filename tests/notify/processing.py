"""Running a report's queued processing task, as `streetlight worker` would."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from streetlight.reports.models import Report
from streetlight.reports.tasks import process_report


def run_processing(report: Report) -> None:
    """The intake routed the report; its processing task sends what the assignments call for."""
    task = DBTaskResult.objects.get(
        task_path="streetlight.reports.tasks.process_report", args_kwargs__kwargs__report_id=report.pk
    )
    process_report.call(**task.args_kwargs["kwargs"])
