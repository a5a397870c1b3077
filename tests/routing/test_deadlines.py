"""Deadlines in working or calendar time, and when an assignment is late or three times late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from streetlight.routing.deadlines import deadline

ROME = ZoneInfo("Europe/Rome")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def test_calendar_hours_ignore_weekends() -> None:
    assert deadline(at("2026-11-27 20:00"), amount=24, unit="hours", working_time=False, tz=ROME) == at(
        "2026-11-28 20:00"
    )


def test_working_hours_skip_the_night() -> None:
    assert deadline(at("2026-11-24 16:00"), amount=2, unit="hours", working_time=True, tz=ROME) == at(
        "2026-11-25 10:00"
    )


def test_working_days_skip_the_weekend() -> None:
    # Friday 10:00 + 1 working day (8 h) = Monday 10:00
    assert deadline(at("2026-11-27 10:00"), amount=1, unit="days", working_time=True, tz=ROME) == at("2026-11-30 10:00")


def test_a_report_on_saturday_starts_counting_on_monday_morning() -> None:
    assert deadline(at("2026-11-28 11:00"), amount=3, unit="hours", working_time=True, tz=ROME) == at(
        "2026-11-30 12:00"
    )


def test_result_keeps_the_start_time_zone() -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Rome
    due = deadline(start, amount=1, unit="hours", working_time=True, tz=ROME)
    assert due.tzinfo is UTC and due == start + timedelta(hours=1)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        deadline(datetime(2026, 1, 1), amount=1, unit="hours", working_time=True, tz=ROME)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        deadline(at("2026-11-24 10:00"), amount=1, unit="weeks", working_time=False, tz=ROME)
