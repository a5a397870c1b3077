"""The periods forecast: tomorrow, and the next weekend from Friday 18:00 to Monday 06:00 on the
city's clock, across month and year ends and daylight-saving changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.utils import timezone

from streetlight.insight.forecasting.windows import Span, next_weekend, past_weekends, tomorrow

ROME = ZoneInfo("Europe/Rome")


@pytest.fixture(autouse=True)
def _rome() -> Iterator[None]:
    with timezone.override(ROME):
        yield


def at(text: str, zone: ZoneInfo = ROME) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def real_length(span: Span) -> timedelta:
    """Elapsed time (Python subtracts two times of the same zone on the clock, ignoring the change)."""
    return span.end.astimezone(UTC) - span.start.astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        ("2026-09-30T10:00", "2026-10-02T18:00", "2026-10-05T06:00"),  # made in one month, for the next
        ("2026-07-28T23:59", "2026-07-31T18:00", "2026-08-03T06:00"),  # the weekend spans two months
        ("2022-12-28T12:00", "2022-12-30T18:00", "2023-01-02T06:00"),  # … and two years
        ("2026-12-29T08:00", "2027-01-01T18:00", "2027-01-04T06:00"),  # made in one year, for the next
    ],
)
def test_the_next_weekend_runs_from_friday_evening_to_monday_morning(now: str, start: str, end: str) -> None:
    span = next_weekend(at(now))
    assert (span.start, span.end) == (at(start), at(end))
    assert span.window().days == 2.5  # 60 hours on the clock


def test_a_weekend_that_has_begun_is_not_the_next_one() -> None:
    assert next_weekend(at("2026-03-13T18:00")).start == at("2026-03-13T18:00")  # begins now: still to come
    assert next_weekend(at("2026-03-13T18:01")).start == at("2026-03-20T18:00")
    assert next_weekend(at("2026-03-15T23:30")).start == at("2026-03-20T18:00")
    assert next_weekend(at("2026-03-16T05:59")).start == at("2026-03-20T18:00")


def test_the_weekend_keeps_its_clock_times_when_the_clocks_change() -> None:
    spring = next_weekend(at("2026-03-25T12:00"))  # clocks go forward on Sunday 29 March
    assert spring.start.utcoffset() == timedelta(hours=1) and spring.end.utcoffset() == timedelta(hours=2)
    assert (spring.start.hour, spring.end.hour) == (18, 6)
    assert real_length(spring) == timedelta(hours=59)
    assert spring.window().end - spring.window().start == np.timedelta64(60, "h")  # the toolkit's clock

    autumn = next_weekend(at("2026-10-21T12:00"))  # clocks go back on Sunday 25 October
    assert real_length(autumn) == timedelta(hours=61)
    assert str(autumn.window().start) == "2026-10-23T18:00:00" and str(autumn.window().end) == "2026-10-26T06:00:00"


def test_the_weekend_is_local_in_any_city() -> None:
    new_york = ZoneInfo("America/New_York")
    with timezone.override(new_york):
        span = next_weekend(at("2026-03-04T09:00", new_york))  # US clocks change on 8 March
    assert span.start == at("2026-03-06T18:00", new_york) and span.end == at("2026-03-09T06:00", new_york)
    assert real_length(span) == timedelta(hours=59)


def test_tomorrow_is_the_next_local_day_even_when_it_is_23_hours_long() -> None:
    span = tomorrow(at("2026-03-28T23:30"))
    assert (span.start, span.end) == (at("2026-03-29T00:00"), at("2026-03-30T00:00"))
    assert real_length(span) == timedelta(hours=23)
    assert span.window().days == 1.0
    new_year = tomorrow(at("2026-12-31T12:00"))
    assert (new_year.start, new_year.end) == (at("2027-01-01T00:00"), at("2027-01-02T00:00"))


def test_the_weekend_backtest_uses_only_weekends_that_have_ended() -> None:
    ended = past_weekends(at("2026-03-30T07:00"), 2)
    assert [s.start for s in ended] == [at("2026-03-20T18:00"), at("2026-03-27T18:00")]
    running = past_weekends(at("2026-03-29T12:00"), 2)  # the weekend of 27 March is not over
    assert [s.start for s in running] == [at("2026-03-13T18:00"), at("2026-03-20T18:00")]
