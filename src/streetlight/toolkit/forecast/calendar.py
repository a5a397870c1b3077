"""Calendar context: working days, public holidays and paydays, by rules a city can write down.

Paydays differ by country and employer, so they are rules, not a table:

    last working day        the last Monday–Friday of the month that is not a holiday
    first working day       the first such day
    day 15                  the 15th, or the working day before it when the 15th is not one
    every friday            weekly
    every other friday from 2016-01-08
                            fortnightly, counted from that date

Holidays come from a file (one ISO date per line, or a CSV whose first column is the date), or,
when the `holidays` package is installed, from its tables for a country.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import ForecastInputError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def load_holidays(path: str | os.PathLike[str]) -> frozenset[date]:
    """Dates from a file: one ISO date per line or as the first CSV column; `#` starts a comment.

    A first line that is not a date is taken as a header; any later line that is not a date stops
    the load with its line number.
    """
    days: set[date] = set()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for line_no, row in enumerate(csv.reader(fh), start=1):
                text = (row[0] if row else "").split("#", 1)[0].strip()
                if not text:
                    continue
                try:
                    days.add(date.fromisoformat(text[:10]))
                except ValueError:
                    if line_no == 1:
                        continue
                    raise ForecastInputError(
                        f"{os.fspath(path)}: line {line_no}: {text!r} is not an ISO date"
                    ) from None
    except OSError as exc:
        raise ForecastInputError(f"{os.fspath(path)}: {exc.strerror or exc}") from None
    return frozenset(days)


def _month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


@dataclass(frozen=True)
class PaydayRule:
    """One payday rule (see the module docstring for the forms it reads)."""

    kind: str  # "last_working" | "first_working" | "day" | "weekly" | "fortnightly"
    day: int = 0  # day of month for "day"; weekday 0..6 for "weekly"/"fortnightly"
    anchor: date | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> PaydayRule:
        s = " ".join(text.lower().replace("-", " ").split())
        if s in ("last working day", "last working day of the month", "last business day"):
            return cls("last_working", text=text)
        if s in ("first working day", "first working day of the month", "first business day"):
            return cls("first_working", text=text)
        if m := re.fullmatch(r"day (\d{1,2})", s):
            n = int(m.group(1))
            if not 1 <= n <= 31:
                raise ForecastInputError(f"payday rule {text!r}: the day must be 1..31")
            return cls("day", n, text=text)
        if m := re.fullmatch(r"every (\w+)", s):
            return cls("weekly", _weekday(m.group(1), text), text=text)
        if m := re.fullmatch(r"every other (\w+) from (\d{4} \d{2} \d{2})", s):
            anchor = date.fromisoformat(m.group(2).replace(" ", "-"))
            weekday = _weekday(m.group(1), text)
            if anchor.weekday() != weekday:
                raise ForecastInputError(f"payday rule {text!r}: {anchor} is not a {WEEKDAYS[weekday]}")
            return cls("fortnightly", weekday, anchor, text=text)
        raise ForecastInputError(
            f"unknown payday rule {text!r}; use e.g. 'last working day', 'first working day', 'day 15', "
            "'every friday' or 'every other friday from 2016-01-08'"
        )

    def dates(self, start: date, end: date, holidays: frozenset[date] = frozenset()) -> set[date]:
        """Paydays from start to end inclusive."""
        out: set[date] = set()
        if self.kind in ("weekly", "fortnightly"):
            d = start + timedelta(days=(self.day - start.weekday()) % 7)
            while d <= end:
                if self.kind == "weekly" or ((d - self.anchor).days // 7) % 2 == 0:  # type: ignore[operator]
                    out.add(d)
                d += timedelta(days=7)
            return out
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            days = _month_days(year, month)
            working = [d for d in days if is_working_day(d, holidays)]
            if self.kind == "last_working" and working:
                out.add(working[-1])
            elif self.kind == "first_working" and working:
                out.add(working[0])
            elif self.kind == "day":
                target = days[min(self.day, len(days)) - 1]
                earlier = [d for d in working if d <= target]
                out.add(earlier[-1] if earlier else target)
            year, month = year + (month == 12), month % 12 + 1
        return {d for d in out if start <= d <= end}


def _weekday(name: str, text: str) -> int:
    for i, full in enumerate(WEEKDAYS):
        if full.startswith(name) and len(name) >= 2:
            return i
    raise ForecastInputError(f"payday rule {text!r}: {name!r} is not a weekday")
