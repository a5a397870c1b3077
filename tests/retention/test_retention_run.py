"""The retention run: periods per category counted from closure, open reports never touched, a
dry-run that changes nothing, batches that resume, and one audit entry per report changed."""

from __future__ import annotations

from typing import Any

import pytest

from streetlight.audit.models import AuditEntry
from streetlight.reports import services
from streetlight.reports.models import Category, Report, ReportContact
from streetlight.reports.retention import policy_for
from streetlight.reports.services.retention import retention_run

from .conftest import FileReport, close, days_after, retention_setting

pytestmark = pytest.mark.django_db


def retention_entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_dry_run_counts_per_category_and_changes_nothing(file_report: FileReport) -> None:
    filed = file_report()
    closed = close(filed)
    before = AuditEntry.objects.count()
    result = retention_run(now=days_after(closed, 91), dry_run=True)
    assert result.by_category["theft-bike"].contact == 1
    assert ReportContact.objects.filter(report=filed.report).exists()
    assert AuditEntry.objects.count() == before


def test_contact_details_are_wiped_after_the_period_not_before(file_report: FileReport) -> None:
    filed = file_report()
    closed = close(filed)
    assert retention_run(now=days_after(closed, 89)).total("contact") == 0
    assert ReportContact.objects.filter(report=filed.report).exists()
    assert retention_run(now=days_after(closed, 90)).total("contact") == 1
    assert not ReportContact.objects.filter(report=filed.report).exists()
    report = filed.refresh()
    assert report.description and report.anonymised_at is None  # only the contact went
    [entry] = retention_entries("report.contact_wiped")
    assert entry.target_id == str(report.pk) and entry.data["removed"] == {"contact": 1}


def test_open_reports_are_never_touched(file_report: FileReport) -> None:
    filed = file_report()
    result = retention_run(now=days_after(filed.report.created_at, 20 * 365))
    assert result.by_category == {}
    report = filed.refresh()
    assert report.description and report.anonymised_at is None
    assert ReportContact.objects.filter(report=report).exists()


def test_a_reopened_report_is_open_again(file_report: FileReport) -> None:
    filed = file_report()
    closed = close(filed)
    services.report_reopen_by_reporter(report=filed.refresh(), reason="Still broken.")
    assert retention_run(now=days_after(closed, 4000)).by_category == {}


def test_a_category_override_beats_the_default(file_report: FileReport) -> None:
    Category.objects.filter(code="theft").update(retention_contact_days=10)  # on the parent: inherited
    Category.objects.filter(code="theft-pickpocket").update(retention_contact_days=200)
    bike, pickpocket = file_report(), file_report(category="theft-pickpocket")
    closed = max(close(bike), close(pickpocket))
    result = retention_run(now=days_after(closed, 11))
    assert set(result.by_category) == {"theft-bike"}
    assert not ReportContact.objects.filter(report=bike.report).exists()
    assert ReportContact.objects.filter(report=pickpocket.report).exists()
    assert policy_for(Category.objects.select_related("parent").get(code="theft-pickpocket")).contact_days == 200


def test_sensitive_categories_have_shorter_defaults(file_report: FileReport, settings: Any) -> None:
    hate = file_report(category="hate-verbal", police=False, victim_support=True)
    bike = file_report()
    closed = max(close(hate), close(bike))
    retention_run(now=days_after(closed, 61))
    assert not ReportContact.objects.filter(report=hate.report).exists()
    assert ReportContact.objects.filter(report=bike.report).exists()
    sensitive = settings.STREETLIGHT["RETENTION"]["SENSITIVE_ANONYMISE_DAYS"]
    assert (
        policy_for(hate.report.category).anonymise_days == sensitive < policy_for(bike.report.category).anonymise_days
    )


def test_settings_decide_the_defaults(file_report: FileReport, settings: Any) -> None:
    retention_setting(settings, CONTACT_DAYS=5)
    filed = file_report()
    closed = close(filed)
    assert retention_run(now=days_after(closed, 6)).total("contact") == 1


def test_anonymised_after_the_period_then_deleted(file_report: FileReport) -> None:
    filed = file_report()
    closed = close(filed)
    anonymised = retention_run(now=days_after(closed, 3 * 365))
    assert anonymised.total("anonymise") == 1 and anonymised.total("contact") == 0
    assert filed.refresh().anonymised_by == "retention"
    deleted = retention_run(now=days_after(closed, 7 * 365))
    assert deleted.total("delete") == 1
    assert not Report.objects.filter(pk=filed.report.pk).exists()
    [entry] = retention_entries("report.deleted")
    assert entry.target_id == str(filed.report.pk) and entry.data["removed"]["report"] == 1
    assert entry.actor_label == "retention"


def test_delete_zero_keeps_the_anonymous_statistic_for_good(file_report: FileReport) -> None:
    Category.objects.filter(code="theft-bike").update(retention_delete_days=0)
    filed = file_report()
    closed = close(filed)
    retention_run(now=days_after(closed, 50 * 365))
    assert filed.refresh().anonymised_at is not None


def test_a_report_due_for_deletion_is_deleted_at_once_not_anonymised_first(file_report: FileReport) -> None:
    filed = file_report()
    closed = close(filed)
    result = retention_run(now=days_after(closed, 8 * 365))
    assert (result.total("delete"), result.total("anonymise"), result.total("contact")) == (1, 0, 0)
    assert retention_entries("report.anonymised") == []


def test_a_merged_duplicate_waits_for_the_report_it_joined(file_report: FileReport) -> None:
    target, duplicate = file_report(), file_report()
    services.report_transition(report=duplicate.report, to_status="merged", actor=None)
    Report.objects.filter(pk=duplicate.report.pk).update(merged_into=target.report)
    later = days_after(duplicate.refresh().updated_at, 400)
    assert retention_run(now=later).by_category == {}  # the joined report is still open
    closed = close(target)
    result = retention_run(now=days_after(closed, 91))
    assert result.total("contact") == 2


def test_batches_resume_where_the_last_run_stopped(file_report: FileReport) -> None:
    reports = [file_report() for _ in range(3)]
    closed = max(close(filed) for filed in reports)
    first = retention_run(now=days_after(closed, 91), limit=2)
    assert first.total("contact") == 2 and not first.complete
    second = retention_run(now=days_after(closed, 91), limit=2)
    assert second.total("contact") == 1 and second.complete
    assert retention_run(now=days_after(closed, 91)).by_category == {}  # idempotent
    assert len(retention_entries("report.contact_wiped")) == 3
