"""Background work for reports, run by `streetlight worker`."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from streetlight.notify.services import assignments_notify
from streetlight.routing.selectors import assignments_by_id
from streetlight.routing.services import report_route

from .services.processing import report_process

# Routing puts a report on the screens that may see it (the intake routes at once; the task is the
# fallback and sends the agencies' e-mails and webhooks): it goes before everything else in the queue.
# Triage only suggests (categories, language, urgency, a redacted text) and costs a model's time, so
# under a burst it waits for the routing of every report that arrived.
ROUTING_PRIORITY = 50
TRIAGE_PRIORITY = -10


@task(priority=ROUTING_PRIORITY)
def process_report(*, report_id: int, routed: list[int] | None = None) -> None:
    """Process a report once it is committed: its public, blurred location; its routing, if the
    intake could not route it (`routed`: the assignments the intake made); the e-mails and webhooks
    of its assignments and its triage, queued. One transaction, so one commit to wait for, and the
    queued work commits with the routing that caused it. Every step is idempotent, so a retried task
    is harmless."""
    with transaction.atomic():
        report = report_process(report_id=report_id)
        if report is not None:
            made_now = report_route(report=report)
            assignments_notify(assignments=[*assignments_by_id(ids=routed or []), *made_now])
            triage_report.enqueue(report_id=report.pk)


@task(priority=TRIAGE_PRIORITY)
def triage_report(*, report_id: int) -> None:
    # Imported here: the model's libraries (scikit-learn, scipy) load in the worker that triages,
    # not in every web process that only queues the task.
    from streetlight.triage.services import report_triage

    report_triage(report_id=report_id)
