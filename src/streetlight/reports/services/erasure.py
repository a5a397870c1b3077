"""Removing a report's personal data wherever the platform copied it: shared by the retention run and
by erasure at the reporter's or the city's request, so every path removes the same things.

A report's personal content lives in the report (description, address, exact point, exact times,
idempotency key, the help asked for), its contact details, follow-up tokens, messages, photos (rows
and files), feedback comments, the public notes of its status changes, internal notes, joint cases,
triage (redacted text, cues, redactions) and training labels, webhook payloads queued or sent, and
reporter e-mail tasks (their arguments carry a reply's text). Live-stream events carry ids only.
What stays is the anonymous statistic: category, kind, area, the day and hour, consent choices,
status history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from streetlight.audit import services as audit
from streetlight.control.models import JointCase, Note
from streetlight.live.models import StreamEvent
from streetlight.notify.models import Delivery
from streetlight.notify.tasks import send_reporter_email
from streetlight.triage.models import ReportTriage, TriageLabel

from ..enums import Anonymisation, LocationKind
from ..models import Feedback, FollowupToken, Message, Photo, Report, ReportContact, StatusChange

Removed = dict[str, int]


def _hour(value: datetime) -> datetime:
    """Down to the hour in the city's time zone: the day and day/night stay, the minute goes."""
    return timezone.localtime(value).replace(minute=0, second=0, microsecond=0)


def _add(removed: Removed, key: str, count: int) -> None:
    if count:
        removed[key] = removed.get(key, 0) + count


def contact_wipe(*, report: Report, data: dict[str, Any]) -> None:
    """Delete the contact details of a closed report (inside the caller's transaction)."""
    deleted, _ = ReportContact.objects.filter(report=report).delete()
    if deleted:
        audit.record(
            actor=None,
            action="report.contact_wiped",
            target=report,
            data={**data, "removed": {"contact": 1}},
            actor_label="retention",
        )


def _report_fields_clear(report: Report, *, now: datetime, by: str) -> Removed:
    removed: Removed = {}
    _add(removed, "description", int(bool(report.description)))
    _add(removed, "address", int(bool(report.address)))
    _add(removed, "exact_location", int(report.lat is not None))
    _add(removed, "needs", int(bool(report.needs)))
    report.description, report.address = "", ""
    report.needs, report.interpreter_language = [], ""
    report.lat = report.lon = None
    report.precision_m = None
    if report.location_kind == LocationKind.POINT:
        report.location_kind = LocationKind.AREA if report.area_id is not None else LocationKind.NONE
    report.occurred_from = _hour(report.occurred_from)
    report.occurred_to = _hour(report.occurred_to) if report.occurred_to else None
    report.created_at = _hour(report.created_at)
    report.idempotency_key, report.idempotency_fingerprint = None, ""
    report.anonymised_at, report.anonymised_by, report.updated_at = now, by, now
    report.save()
    return removed


def _files_delete(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        storage.delete(name)


def _photos_delete(report: Report) -> int:
    """Rows now, files once the transaction commits: a rollback never leaves a row without its file."""
    photos = list(Photo.objects.filter(report=report))
    if not photos:
        return 0
    storage, names = photos[0].image.storage, [p.image.name for p in photos if p.image.name]
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    transaction.on_commit(lambda: _files_delete(storage, names))
    return len(photos)


def _joint_cases_leave(report: Report) -> Removed:
    """The report leaves its joint cases; a case left with no report goes too, with its notes."""
    cases = list(report.joint_cases.all())
    for case in cases:
        case.reports.remove(report)
    emptied = JointCase.objects.filter(pk__in=[c.pk for c in cases], reports__isnull=True)
    removed: Removed = {}
    _add(removed, "joint_case_links", len(cases))
    _add(removed, "joint_cases", len(emptied.values_list("pk", flat=True)))
    emptied.delete()
    return removed


def _deliveries_scrub(reference: str) -> int:
    """Webhook payloads carry the description and the exact point: blank them in queued and sent ones."""
    count = 0
    for delivery in Delivery.objects.filter(payload__report__reference=reference):
        body = dict(delivery.payload.get("report") or {})
        if body.get("description") or body.get("lat") is not None or body.get("lon") is not None:
            body.update(description="", lat=None, lon=None)
            delivery.payload = {**delivery.payload, "report": body}
            delivery.save(update_fields=["payload"])
            count += 1
    return count


def _reporter_email_tasks_delete(report_id: int) -> int:
    """Queued or finished e-mails to the reporter keep the reply's text in their arguments. A running
    one is left alone: it finds no contact any more and sends nothing."""
    tasks = DBTaskResult.objects.filter(
        task_path=send_reporter_email.module_path, args_kwargs__kwargs__report_id=report_id
    ).exclude(status=TaskResultStatus.RUNNING)
    return tasks.delete()[0]


def personal_content_remove(*, report: Report, now: datetime, by: str) -> Removed:
    """Make a (locked) report anonymous in place; returns what was removed, as counts, for the audit
    entry the caller writes. Idempotent: a second call finds nothing more to remove."""
    removed = _report_fields_clear(report, now=now, by=by)
    _add(removed, "contact", ReportContact.objects.filter(report=report).delete()[0])
    _add(removed, "followup_tokens", FollowupToken.objects.filter(report=report).delete()[0])
    _add(removed, "messages", Message.objects.filter(report=report).delete()[0])
    _add(removed, "photos", _photos_delete(report))
    _add(removed, "feedback_comments", Feedback.objects.filter(report=report).exclude(comment="").update(comment=""))
    _add(
        removed,
        "public_notes",
        StatusChange.objects.filter(report=report).exclude(public_note="").update(public_note=""),
    )
    _add(removed, "internal_notes", Note.objects.filter(report=report).delete()[0])
    for key, count in _joint_cases_leave(report).items():
        _add(removed, key, count)
    _add(
        removed,
        "triage_text",
        ReportTriage.objects.filter(report=report)
        .exclude(redacted_description="", redactions=[], cues=[])
        .update(redacted_description="", redactions=[], cues=[]),
    )
    _add(removed, "triage_labels", TriageLabel.objects.filter(report=report).delete()[0])
    _add(removed, "webhook_payloads", _deliveries_scrub(report.reference))
    _add(removed, "task_results", _reporter_email_tasks_delete(report.pk))
    return removed


def report_delete(*, report: Report, now: datetime, data: dict[str, Any]) -> Removed:
    """Delete a (locked) report and every trace of it but the audit log, which records the deletion
    and what went with it, never the content."""
    removed = personal_content_remove(report=report, now=now, by=Anonymisation.RETENTION)
    _add(
        removed, "webhook_deliveries", Delivery.objects.filter(payload__report__reference=report.reference).delete()[0]
    )
    StreamEvent.objects.filter(report_id=report.pk).delete()
    removed["report"] = 1
    audit.record(
        actor=None, action="report.deleted", target=report, data={**data, "removed": removed}, actor_label="retention"
    )
    report.delete()
    return removed
