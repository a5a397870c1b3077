"""The periods a forecast is for, on the city's clock.

- **Tomorrow**: the next local day, midnight to midnight.
- **Next weekend**: Friday 18:00 to Monday 06:00 local time, the first such window that has not
  begun. Friday and Saturday nights are when a city's night-time economy, its police and its
  street workers expect the most trouble, and the night from Sunday into Monday still belongs to
  the weekend; Saturday + Sunday midnight-to-midnight would cut Friday night off and split
  Saturday night in two. Made during a weekend, it is the following one.

The toolkit works on wall-clock times (a day is a local day, a weekend always 60 hours on the
clock); the stored window is the same period as aware datetimes, which across a daylight-saving
change is 59 or 61 real hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from streetlight.toolkit.forecast import Window

from ..models import Forecast

FRIDAY = 4
WEEKEND_STARTS = time(18)
WEEKEND_ENDS = time(6)  # on the Monday


@dataclass(frozen=True)
class Span:
    """A forecast period as aware datetimes in the city's time zone."""

    start: datetime
    end: datetime

    def window(self) -> Window:
        """The same period on the wall clock, as the toolkit counts it."""
        return Window(wall_clock(self.start), wall_clock(self.end))


def local(day: date, at: time) -> datetime:
    """`day` at `at` on the city's clock (zoneinfo picks the offset that holds on that date)."""
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def wall_clock(when: datetime) -> np.datetime64:
    """An aware datetime as the city's wall-clock time, the toolkit's time axis."""
    return np.datetime64(timezone.localtime(when).replace(tzinfo=None), "s")


def tomorrow(now: datetime) -> Span:
    day = timezone.localdate(now) + timedelta(days=1)
    return Span(local(day, time.min), local(day + timedelta(days=1), time.min))


def weekend_of(friday: date) -> Span:
    return Span(local(friday, WEEKEND_STARTS), local(friday + timedelta(days=3), WEEKEND_ENDS))


def next_weekend(now: datetime) -> Span:
    """The first Friday 18:00 → Monday 06:00 window that has not begun at `now`."""
    today = timezone.localdate(now)
    friday = today + timedelta(days=(FRIDAY - today.weekday()) % 7)
    span = weekend_of(friday)
    return span if span.start >= now else weekend_of(friday + timedelta(days=7))


def past_weekends(now: datetime, count: int) -> list[Span]:
    """The last `count` weekends that ended by `now`, oldest first: the weekend backtest."""
    friday = next_weekend(now).start.date() - timedelta(days=7)
    spans: list[Span] = []
    while len(spans) < count:
        span = weekend_of(friday)
        if span.end <= now:
            spans.append(span)
        friday -= timedelta(days=7)
    return spans[::-1]


def span_for(horizon: str, now: datetime) -> Span:
    return next_weekend(now) if horizon == Forecast.Horizon.WEEKEND else tomorrow(now)
