"""Times and days as residents type them ("21:30", "21h", "14/03 21:30", "2025-03-14"), read in the
city's time zone. Anything else is not understood, and the question is asked again."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats

_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*(?:[:h.]\s*(\d{2})?|\s*(?:uur|ore|hrs|hours|heures))(?!\d)|^\s*(\d{1,2})\s*$")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _clock(text: str) -> time | None:
    match = _TIME.search(text)
    if match is None:
        return None
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_time(text: str, *, today: date) -> datetime | None:
    """A time of day, today, in the city's time zone."""
    clock = _clock(text)
    if clock is None:
        return None
    return datetime.combine(today, clock, tzinfo=_zone())


def parse_date_time(text: str, *, today: date) -> datetime | None:
    """A day (day/month[/year] or ISO) and an optional time (noon when none is given)."""
    day: date | None = None
    rest = text
    if iso := _ISO.search(text):
        day = _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        rest = text[: iso.start()] + " " + text[iso.end() :]
    elif dmy := _DMY.search(text):
        year = int(dmy.group(3)) if dmy.group(3) else today.year
        year = year + 2000 if year < 100 else year
        day = _date(year, int(dmy.group(2)), int(dmy.group(1)))
        if day is not None and not dmy.group(3) and day > today:
            day = _date(year - 1, day.month, day.day)  # "14/12" typed in January means last December
        rest = text[: dmy.start()] + " " + text[dmy.end() :]
    if day is None:
        return None
    clock = _clock(rest) if rest.strip() else None
    return datetime.combine(day, clock or time(12, 0), tzinfo=_zone())


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def describe_when(when: dict[str, Any], *, now_label: str) -> str:
    if when.get("kind") != "at":
        return now_label
    at = datetime.fromisoformat(when["at"]).astimezone(_zone())
    return formats.date_format(at, "SHORT_DATETIME_FORMAT")
