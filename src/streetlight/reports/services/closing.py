"""Closing the loop with the reporter: rating the answer, or reopening an answer that did not help."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.audit import services as audit
from streetlight.live.services import event_publish

from ..errors import ReportInvalid
from ..lifecycle import Status
from ..models import Feedback, Message, Report
from .lifecycle import report_transition
from .validation import MAX_DESCRIPTION

FINISHED = frozenset({Status.RESOLVED.value, Status.CLOSED.value, Status.REJECTED.value})
REOPEN_WITHIN = timedelta(days=60)


@transaction.atomic
def report_rate(*, report: Report, score: int, comment: str = "") -> Feedback:
    """One rating per report: a new rating replaces the previous one."""
    errors: dict[str, str] = {}
    if report.status not in FINISHED:
        errors["score"] = _("You can rate the answer once your report is resolved or closed.")
    if not 1 <= score <= 5:
        errors["score"] = _("Choose a rating from 1 to 5.")
    if len(comment) > MAX_DESCRIPTION or "\x00" in comment:
        errors["comment"] = _("The comment is too long or contains a character we cannot store.")
    if errors:
        raise ReportInvalid(errors)
    Feedback.objects.filter(report=report).delete()
    feedback = Feedback.objects.create(report=report, score=score, comment=comment.strip(), at=timezone.now())
    audit.record(actor=None, action="report.rated", target=report, data={"score": score}, actor_label="reporter")
    event_publish(kind="report.rated", report_id=report.pk)
    return feedback


@transaction.atomic
def report_reopen_by_reporter(*, report: Report, reason: str) -> Report:
    """The reporter says the answer did not solve it: the report is reopened with their words."""
    text = reason.strip()
    errors: dict[str, str] = {}
    if report.status not in FINISHED:
        errors["reason"] = _("Your report is still open: add information instead.")
    elif timezone.now() - report.updated_at > REOPEN_WITHIN:
        errors["reason"] = _("This report was closed too long ago to reopen. Please make a new report.")
    if not text or len(reason) > MAX_DESCRIPTION or "\x00" in reason:
        errors["reason"] = _("Tell us in a few words why it is not solved.")
    if errors:
        raise ReportInvalid(errors)
    report_transition(report=report, to_status=Status.REOPENED.value, actor=None)
    Message.objects.create(
        report=report, author_kind=Message.Author.REPORTER, body=text, public=True, at=timezone.now()
    )
    return report
