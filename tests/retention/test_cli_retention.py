"""`streetlight retention run [--dry-run]` and the timer: the same run, reported per category."""

from __future__ import annotations

from datetime import timedelta

import pytest

from streetlight.cli import main
from streetlight.reports.models import ReportContact, StatusChange
from streetlight.reports.services.retention import retention_run

from .conftest import FileReport, close

pytestmark = pytest.mark.django_db


def closed_long_ago(file_report: FileReport) -> int:
    filed = file_report()
    close(filed)
    StatusChange.objects.filter(report=filed.report).update(at=filed.report.created_at - timedelta(days=9 * 365))
    return filed.report.pk


def test_dry_run_prints_per_category_and_changes_nothing(
    file_report: FileReport, capsys: pytest.CaptureFixture[str]
) -> None:
    pk = closed_long_ago(file_report)
    assert main(["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "theft-bike: wipe contact details 0, anonymise 0, delete 1" in out
    assert "Dry run, nothing changed" in out
    assert ReportContact.objects.filter(report_id=pk).exists()


def test_the_command_and_the_timer_apply_it(file_report: FileReport, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = closed_long_ago(file_report), closed_long_ago(file_report)
    assert main(["retention", "run", "--limit", "1"]) == 0
    assert "More reports are due" in capsys.readouterr().out
    assert main(["tick"]) == 0
    assert "Retention: wiped the contact details of 0 reports, anonymised 0, deleted 1." in capsys.readouterr().out
    assert not ReportContact.objects.filter(report_id__in=[first, second]).exists()
    assert retention_run(dry_run=True).by_category == {}
