"""Payday rules and holiday files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from streetlight.toolkit.forecast import ForecastInputError
from streetlight.toolkit.forecast.calendar import PaydayRule, load_holidays

MARCH, JUNE = date(2016, 3, 1), date(2016, 6, 30)


def test_last_working_day_of_the_month_skips_weekends_and_holidays() -> None:
    rule = PaydayRule.parse("last working day")
    # 30 April 2016 was a Saturday; 31 May a Tuesday, but make 31 May a holiday.
    days = rule.dates(MARCH, JUNE, frozenset({date(2016, 5, 31)}))
    assert sorted(days) == [date(2016, 3, 31), date(2016, 4, 29), date(2016, 5, 30), date(2016, 6, 30)]


def test_first_working_day_and_a_fixed_day_moved_back_to_a_working_day() -> None:
    assert min(PaydayRule.parse("first working day").dates(MARCH, JUNE)) == date(2016, 3, 1)
    # 15 May 2016 was a Sunday: paid on Friday the 13th.
    assert date(2016, 5, 13) in PaydayRule.parse("day 15").dates(MARCH, JUNE)
    # Day 31 in a 30-day month is its last day (30 June 2016, a Thursday).
    assert date(2016, 6, 30) in PaydayRule.parse("day 31").dates(MARCH, JUNE)


def test_weekly_and_fortnightly_rules() -> None:
    assert len(PaydayRule.parse("every friday").dates(MARCH, date(2016, 3, 31))) == 4
    fortnight = PaydayRule.parse("every other friday from 2016-01-08").dates(MARCH, date(2016, 3, 31))
    assert sorted(fortnight) == [date(2016, 3, 4), date(2016, 3, 18)]


def test_unknown_rules_are_explained() -> None:
    with pytest.raises(ForecastInputError, match="unknown payday rule 'fortnightly'"):
        PaydayRule.parse("fortnightly")
    with pytest.raises(ForecastInputError, match="is not a friday"):
        PaydayRule.parse("every other friday from 2016-01-07")


def test_holiday_file_with_header_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text("date,name\n2016-01-01,New Year\n# observed\n2016-07-04,Independence Day\n", encoding="utf-8")
    assert load_holidays(path) == frozenset({date(2016, 1, 1), date(2016, 7, 4)})
    path.write_text("2016-01-01\n4 July\n", encoding="utf-8")
    with pytest.raises(ForecastInputError, match="line 2: '4 July' is not an ISO date"):
        load_holidays(path)
