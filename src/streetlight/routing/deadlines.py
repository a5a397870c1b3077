"""Deadline arithmetic in calendar or working time (Monday–Friday, office hours, city time zone).

Pure functions on aware datetimes, so the rules can be tested for any week without a database."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WORK_START = time(9, 0)
WORK_END = time(17, 0)
WORKDAY = timedelta(hours=8)


def _next_work_moment(local: datetime) -> datetime:
    """The first working moment at or after `local`."""
    while True:
        if local.weekday() >= 5:
            local = datetime.combine(local.date() + timedelta(days=7 - local.weekday()), WORK_START, local.tzinfo)
            continue
        if local.time() < WORK_START:
            return datetime.combine(local.date(), WORK_START, local.tzinfo)
        if local.time() >= WORK_END:
            local = datetime.combine(local.date() + timedelta(days=1), WORK_START, local.tzinfo)
            continue
        return local


def add_working_time(start: datetime, amount: timedelta, tz: ZoneInfo) -> datetime:
    """`start` plus `amount` of working time; a working day counts 8 hours."""
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    local = _next_work_moment(start.astimezone(tz))
    remaining = amount
    while remaining > timedelta(0):
        end_of_day = datetime.combine(local.date(), WORK_END, local.tzinfo)
        available = end_of_day - local
        if remaining <= available:
            local = local + remaining
            break
        remaining -= available
        local = _next_work_moment(end_of_day)
    return local.astimezone(start.tzinfo)


def deadline(start: datetime, *, amount: int, unit: str, working_time: bool, tz: ZoneInfo) -> datetime:
    """The deadline for `amount` hours or days from `start`. In working time a day is 8 working hours."""
    if unit not in {"hours", "days"}:
        raise ValueError(f"unknown deadline unit {unit!r}")
    if not working_time:
        return start + (timedelta(hours=amount) if unit == "hours" else timedelta(days=amount))
    span = timedelta(hours=amount) if unit == "hours" else WORKDAY * amount
    return add_working_time(start, span, tz)
