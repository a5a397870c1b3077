"""Anonymising a report removes its personal content from every table and the disk, keeps the
anonymous statistic the insight screens and open data count, and says in the audit log what went,
never the content."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from streetlight.audit.models import AuditEntry
from streetlight.control.models import JointCase, Note
from streetlight.insight.data import Filters, report_arrays
from streetlight.notify.models import Delivery, Webhook
from streetlight.notify.services import report_changed_notify
from streetlight.notify.tasks import send_reporter_email
from streetlight.reports import services
from streetlight.reports.drafts import PhotoUpload
from streetlight.reports.models import Feedback, FollowupToken, Message, Photo, ReportContact, StatusChange
from streetlight.reports.services.retention import retention_run
from streetlight.routing.models import Agency
from streetlight.triage.models import ReportTriage, TriageLabel
from streetlight.triage.services import report_label, report_triage
from tests.reports.helpers import jpeg_with_gps
from tests.staff import member

from .conftest import Filed, FileReport, close, days_after

pytestmark = pytest.mark.django_db

SECRET = "Marco from flat 3B took it"


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def full_history(filed: Filed, other: Filed) -> None:
    """Everything a report can gather: a photo and words from the reporter, replies, notes, a joint
    case, triage and its training label, a webhook delivery, a reporter e-mail task, a rating."""
    report = filed.refresh()
    officer = member("police", "case_worker")
    services.report_add_information(
        report=report, body=SECRET, photos=(PhotoUpload(name="p.jpg", content=jpeg_with_gps()),)
    )
    services.report_reply(report=report, actor=officer, body=f"Thanks, we noted: {SECRET}", public=True)
    Note.objects.create(report=report, author=officer, body=SECRET, at=timezone.now())
    case = JointCase.objects.create(title="Flat 3B", created_at=timezone.now())
    case.reports.set([report, other.report])
    alone = JointCase.objects.create(title="Only this one", created_at=timezone.now())
    alone.reports.set([report])
    report_triage(report_id=report.pk)
    report_label(actor=officer, report=report, categories=["theft-bike"])
    Webhook.objects.create(agency=Agency.objects.get(code="police"), url="https://police.example.org/hook", secret="s")
    report_changed_notify(report=report, event="report.status_changed")
    send_reporter_email.enqueue(report_id=report.pk, kind="reply", text=SECRET)
    services.report_transition(report=report, to_status="resolved", actor=officer, public_note=SECRET)
    services.report_rate(report=filed.refresh(), score=4, comment=SECRET)


def statistic(filed: Filed) -> Callable[[], list[tuple[Any, ...]]]:
    """What the insight screens and open data read of the period: category, kind, area, day."""
    day = timezone.localdate(filed.report.created_at)
    filters = Filters(since=day - timedelta(days=1), until=day + timedelta(days=1))

    def read() -> list[tuple[Any, ...]]:
        rows = []
        for by_received in (False, True):
            arrays = report_arrays(filters, by_received=by_received)
            when = [str(w.astype("datetime64[D]")) for w in arrays.when]
            rows += sorted(zip(arrays.main, arrays.leaf, arrays.kind, arrays.area, when, strict=True))
        return rows

    return read


def test_anonymising_removes_every_copy_of_the_personal_content(
    file_report: FileReport, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    filed, other = file_report(), file_report()
    full_history(filed, other)
    [photo_file] = [p.image.name for p in Photo.objects.filter(report=filed.report)]
    assert (media / photo_file).exists()
    closed = StatusChange.objects.filter(report=filed.report).latest("at").at

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(now=days_after(closed, 3 * 365)).total("anonymise") == 1

    report = filed.refresh()
    assert (report.description, report.address, report.lat, report.lon) == ("", "", None, None)
    assert report.location_kind == "area" and report.area_id == filed.report.area_id
    assert report.created_at.minute == 0 and report.occurred_from.minute == 0
    for model in (ReportContact, FollowupToken, Message, Photo, Note, TriageLabel):
        assert not model.objects.filter(report=report).exists(), model.__name__
    assert not (media / photo_file).exists()
    assert not StatusChange.objects.filter(report=report).exclude(public_note="").exists()
    assert Feedback.objects.get(report=report).comment == "" and Feedback.objects.get(report=report).score == 4
    triage = ReportTriage.objects.get(report=report)
    assert (triage.redacted_description, triage.cues, triage.redactions) == ("", [], [])
    assert list(JointCase.objects.values_list("title", flat=True)) == ["Flat 3B"]
    assert list(JointCase.objects.get().reports.all()) == [other.report]
    assert Delivery.objects.filter(payload__report__reference=report.reference).exists()
    for delivery in Delivery.objects.filter(payload__report__reference=report.reference):
        assert delivery.payload["report"]["description"] == "" and delivery.payload["report"]["lat"] is None
    assert not DBTaskResult.objects.filter(task_path=send_reporter_email.module_path).exists()
    [entry] = AuditEntry.objects.filter(action="report.anonymised")
    assert entry.target_id == str(report.pk) and entry.actor_label == "retention"
    assert {"description", "contact", "photos", "messages", "internal_notes", "triage_labels"} <= set(
        entry.data["removed"]
    )
    assert SECRET not in json.dumps(list(AuditEntry.objects.values_list("data", flat=True)))


def test_anonymising_keeps_the_counts(file_report: FileReport) -> None:
    filed = file_report()
    read = statistic(filed)
    before = read()
    closed = close(filed)
    retention_run(now=days_after(closed, 3 * 365))
    assert filed.refresh().anonymised_at is not None
    assert read() == before and len(before) == 2
