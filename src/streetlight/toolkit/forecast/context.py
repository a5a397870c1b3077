"""Context a forecast may use: calendar (weekday, time of day, paydays, holidays), public events
(matches, concerts, markets: place, time, size), nightlife opening hours, and daily weather.

Context describes places and times only. Readers take CSV files (and ICS calendars for public
events); positions are x/y in the crime data's CRS, or lon/lat when the crime data came as lon/lat
(they then share its projection).
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from .calendar import PaydayRule
from .errors import ForecastInputError
from .events import FloatArray, LocalProjection, Window, parse_times
from .grid import Grid

DAY_CODES = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
WEEK_MINUTES = 7 * 24 * 60
EPOCH_MONDAY = np.datetime64("1970-01-05T00:00:00", "s")  # a Monday


@dataclass(frozen=True)
class PublicEvent:
    name: str
    start: np.datetime64
    end: np.datetime64
    x: float
    y: float
    size: float = 1.0  # expected attendance, or any relative size


@dataclass(frozen=True, eq=False)
class OpeningHours:
    """Weekly opening hours in a subset of OpenStreetMap's syntax: "Mo-Th 18:00-02:00; Fr,Sa 18:00-04:00".

    Hours past midnight run into the next day; "off" closes a day; "24/7" is always open.
    """

    text: str
    open_minutes: np.ndarray = field(repr=False)  # cumulative open minutes over one week, length 10,081

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        # A later rule replaces what earlier ones said about the days it names (as in OSM); hours
        # belong to the day they start on, so "Su off" does not close Saturday night at 01:00.
        starting: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
        always = False
        for rule in filter(None, (r.strip() for r in text.split(";"))):
            if rule.lower() == "24/7":
                always = True
                continue
            m = re.fullmatch(r"([A-Za-z,\- ]+?)\s+(off|[\d:,\- ]+)", rule)
            if not m:
                raise ForecastInputError(f"opening hours {text!r}: cannot read {rule!r} (e.g. 'Fr,Sa 18:00-04:00')")
            spans: list[tuple[int, int]] = []
            if m.group(2).strip().lower() != "off":
                for span in m.group(2).split(","):
                    t = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", span)
                    if not t:
                        raise ForecastInputError(f"opening hours {text!r}: cannot read the times {span!r}")
                    a, b = int(t.group(1)) * 60 + int(t.group(2)), int(t.group(3)) * 60 + int(t.group(4))
                    if a > 1440 or b > 1440:
                        raise ForecastInputError(f"opening hours {text!r}: {span.strip()!r} is not a time of day")
                    spans.append((a, b if b > a else b + 1440))  # past midnight: into the next day
            for d in _days(m.group(1), text):
                starting[d] = spans
        week = np.full(WEEK_MINUTES, always)
        for d, spans in starting.items():
            for a, b in spans:
                week[(d * 1440 + np.arange(a, b)) % WEEK_MINUTES] = True
        return cls(text, np.concatenate([[0], np.cumsum(week)]))

    def minutes_open(self, start: np.datetime64, end: np.datetime64) -> float:
        """Minutes open between two wall-clock times."""

        def upto(when: np.datetime64) -> float:
            minutes = int((when - EPOCH_MONDAY) // np.timedelta64(60, "s"))
            weeks, rest = divmod(minutes, WEEK_MINUTES)
            return float(weeks * self.open_minutes[-1] + self.open_minutes[rest])

        return upto(end) - upto(start)


def _days(spec: str, text: str) -> list[int]:
    out: list[int] = []
    for part in spec.replace(" ", "").lower().split(","):
        ends = part.split("-")
        if not all(e[:2] in DAY_CODES and len(e) == 2 for e in ends) or len(ends) > 2:
            raise ForecastInputError(f"opening hours {text!r}: {part!r} is not a day or day range (Mo..Su)")
        a, b = DAY_CODES[ends[0]], DAY_CODES[ends[-1]]
        out += [(a + i) % 7 for i in range((b - a) % 7 + 1)]
    return out


@dataclass(frozen=True)
class Venue:
    """A nightlife venue (bar, club…): a place and its weekly opening hours."""

    name: str
    x: float
    y: float
    hours: OpeningHours


@dataclass(frozen=True)
class Context:
    """Everything but the crimes that a context model may use; all parts are optional."""

    holidays: frozenset[date] = frozenset()
    paydays: tuple[PaydayRule, ...] = ()
    events: tuple[PublicEvent, ...] = ()
    venues: tuple[Venue, ...] = ()
    weather: Mapping[date, Mapping[str, float]] = field(default_factory=dict)

    def calendar(self, window: Window) -> dict[str, float]:
        """City-wide features of a window: weekday and time-of-day shares, payday, holiday, weather."""
        names, rows = self.calendar_rows([window])
        return dict(zip(names, rows[0].tolist(), strict=True))

    def calendar_rows(self, windows: Sequence[Window]) -> tuple[list[str], FloatArray]:
        """`calendar` for many windows at once: (feature names, one row per window).

        Shares are over the days a window touches; time-of-day blocks (6 hours) only for windows
        shorter than a day; weather is the mean over those days (NaN where none is known).
        """
        first = np.array([w.start.astype("datetime64[D]") for w in windows])
        last = np.array([(w.end - np.timedelta64(1, "s")).astype("datetime64[D]") for w in windows])
        span = int((last - first).max() // np.timedelta64(1, "D")) + 1
        days = first[:, None] + np.arange(span)[None, :]  # each window's days, padded with later days
        valid = days <= last[:, None]
        n_days = valid.sum(axis=1)
        weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        names = [f"weekday_{i}" for i in range(7)]
        cols = [((weekday == i) & valid).sum(axis=1) / n_days for i in range(7)]
        if all(w.days < 1 for w in windows):
            hours = np.array(
                [int((w.start - w.start.astype("datetime64[D]")) // np.timedelta64(1, "h")) for w in windows]
            )
            names += [f"hours_{b * 6:02d}" for b in range(4)]
            cols += [(hours // 6 == b).astype(float) for b in range(4)]
        lo, hi = days.min().astype(date), days.max().astype(date)
        paydays: set[date] = set()
        for rule in self.paydays:
            paydays |= rule.dates(lo, hi, self.holidays)
        as_dates = days.astype(object)
        for name, marked in (("payday", paydays), ("holiday", self.holidays)):
            flag = np.vectorize(lambda d, m=marked: d in m, otypes=[bool])(as_dates) & valid
            names.append(name)
            cols.append(flag.any(axis=1).astype(float))
        for key in sorted({k for v in self.weather.values() for k in v}):
            value = np.vectorize(lambda d, k=key: self.weather.get(d, {}).get(k, math.nan), otypes=[float])(as_dates)
            value = np.where(valid, value, np.nan)
            known = np.isfinite(value).any(axis=1)
            names.append(f"weather_{key}")
            cols.append(np.where(known, np.nanmean(np.where(known[:, None], value, 0.0), axis=1), math.nan))
        order = np.argsort(names)
        return [names[i] for i in order], np.column_stack([cols[i] for i in order]).astype(float)

    def exposures(self, grid: Grid, window: Window, radius_m: float = 400.0) -> dict[str, FloatArray]:
        """Per-cell exposure to public events and open nightlife during the window.

        Each source adds its weight (event: size × share of the window it runs; venue: share of the
        window it is open) times exp(−d²/2r²) at distance d from the cell's centre.
        """
        out: dict[str, FloatArray] = {}
        length = float((window.end - window.start) / np.timedelta64(1, "s"))
        if self.events:
            weights = np.array(
                [
                    e.size
                    * max(0.0, float((min(e.end, window.end) - max(e.start, window.start)) / np.timedelta64(1, "s")))
                    / length
                    for e in self.events
                ]
            )
            xy = np.array([[e.x, e.y] for e in self.events])
            out["public_events"] = _spread(grid, xy, weights, radius_m)
        if self.venues:
            weights = np.array([v.hours.minutes_open(window.start, window.end) * 60 / length for v in self.venues])
            xy = np.array([[v.x, v.y] for v in self.venues])
            out["nightlife"] = _spread(grid, xy, weights, radius_m)
        return out


def _spread(grid: Grid, xy: np.ndarray, weights: FloatArray, radius_m: float) -> FloatArray:
    out = np.zeros(grid.n_cells)
    live = weights > 0
    if not live.any():
        return out
    tree = cKDTree(np.column_stack([grid.cx, grid.cy]))
    for (x, y), w in zip(xy[live], weights[live], strict=True):
        near = np.asarray(tree.query_ball_point((x, y), 3 * radius_m), dtype=np.int64)
        d2 = (grid.cx[near] - x) ** 2 + (grid.cy[near] - y) ** 2
        out[near] += w * np.exp(-d2 / (2 * radius_m**2))
    return out


# -- readers ---------------------------------------------------------------------------------------


def _rows(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            return [
                (reader.line_num, {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}) for row in reader
            ]
    except OSError as exc:
        raise ForecastInputError(f"{os.fspath(path)}: {exc.strerror or exc}") from None


def _place(row: dict[str, str], where: str, projection: LocalProjection | None) -> tuple[float, float]:
    projected = bool(row.get("x") and row.get("y"))
    if not projected and not (row.get("lon") and row.get("lat")):
        raise ForecastInputError(f"{where}: no position (columns x,y or lon,lat)")
    if not projected and projection is None:
        raise ForecastInputError(
            f"{where}: lon/lat given but the crime data are in projected x/y: give x and y in their CRS"
        )
    try:
        a, b = (float(row["x"]), float(row["y"])) if projected else (float(row["lon"]), float(row["lat"]))
    except ValueError:
        raise ForecastInputError(f"{where}: the position is not a number") from None
    if projected or projection is None:
        return a, b
    x, y = projection.forward(a, b)
    return float(x), float(y)


def read_public_events(path: str | os.PathLike[str], projection: LocalProjection | None = None) -> list[PublicEvent]:
    """Public events from a CSV (name, start, end, x/y or lon/lat, size) or an ICS calendar."""
    if os.fspath(path).lower().endswith((".ics", ".ical")):
        return read_ics(path, projection)
    out = []
    for line, row in _rows(path):
        where = f"{os.fspath(path)}: line {line}"
        start = parse_times([row.get("start", "")], lines=[line])[0]
        end = parse_times([row["end"]], lines=[line])[0] if row.get("end") else start + np.timedelta64(3, "h")
        if end <= start:
            raise ForecastInputError(f"{where}: the event ends before it starts")
        x, y = _place(row, where, projection)
        try:
            size = float(row.get("size") or 1)
        except ValueError:
            raise ForecastInputError(f"{where}: size {row.get('size')!r} is not a number") from None
        out.append(PublicEvent(row.get("name", ""), start, end, x, y, size))
    return out


def _ics_time(value: str, where: str) -> tuple[np.datetime64, bool]:
    """An ICS DATE or DATE-TIME value as wall-clock time (UTC 'Z' kept as UTC), and whether a date."""
    m = re.fullmatch(r"(\d{8})(?:T(\d{6})(Z?))?", value.strip())
    if not m:
        raise ForecastInputError(f"{where}: {value!r} is not an ICS date or date-time")
    day, clock = m.group(1), m.group(2) or "000000"
    try:
        when = np.datetime64(f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}", "s")
    except ValueError:
        raise ForecastInputError(f"{where}: {value!r} is not a valid date or time") from None
    return when, m.group(2) is None


def read_ics(path: str | os.PathLike[str], projection: LocalProjection | None = None) -> list[PublicEvent]:
    """VEVENTs of an iCalendar file: DTSTART, DTEND (or DURATION in hours/days), GEO, SUMMARY, and a
    size from X-SIZE or X-ATTENDANCE. GEO is lon/lat, so it needs lon/lat crime data; events
    without GEO cannot be placed and stop the load (LOCATION text is not geocoded)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            raw = fh.read().replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    except OSError as exc:
        raise ForecastInputError(f"{os.fspath(path)}: {exc.strerror or exc}") from None
    out: list[PublicEvent] = []
    current: dict[str, str] | None = None
    for n, line in enumerate(raw.split("\n"), start=1):
        name, _, value = line.partition(":")
        key = name.split(";", 1)[0].upper()
        if key == "BEGIN" and value.upper() == "VEVENT":
            current = {}
        elif key == "END" and value.upper() == "VEVENT" and current is not None:
            out.append(_ics_event(current, f"{os.fspath(path)}: event ending line {n}", projection))
            current = None
        elif current is not None and key:
            current[key] = value
    return out


def _ics_event(props: dict[str, str], where: str, projection: LocalProjection | None) -> PublicEvent:
    if "DTSTART" not in props:
        raise ForecastInputError(f"{where}: no DTSTART")
    start, is_date = _ics_time(props["DTSTART"], where)
    if "DTEND" in props:
        end = _ics_time(props["DTEND"], where)[0]
    elif m := re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?", props.get("DURATION", "")):
        days, hours, minutes = (int(g or 0) for g in m.groups())
        end = start + np.timedelta64(days * 86400 + hours * 3600 + minutes * 60, "s")
    else:
        end = start + np.timedelta64(1 if is_date else 0, "D")
    if end <= start:
        end = start + np.timedelta64(3, "h")  # an instant: count the usual few hours around it
    if "GEO" not in props:
        raise ForecastInputError(f"{where}: no GEO (latitude;longitude); LOCATION text is not geocoded")
    try:
        lat, lon = (float(v) for v in props["GEO"].split(";"))
    except ValueError:
        raise ForecastInputError(f"{where}: GEO {props['GEO']!r} is not 'latitude;longitude'") from None
    x, y = _place({"lon": str(lon), "lat": str(lat)}, where, projection)
    size = props.get("X-SIZE") or props.get("X-ATTENDANCE") or "1"
    try:
        return PublicEvent(props.get("SUMMARY", ""), start, end, x, y, float(size))
    except ValueError:
        raise ForecastInputError(f"{where}: size {size!r} is not a number") from None


def read_venues(path: str | os.PathLike[str], projection: LocalProjection | None = None) -> list[Venue]:
    """Venues from a CSV: name, x/y or lon/lat, opening_hours."""
    out = []
    for line, row in _rows(path):
        where = f"{os.fspath(path)}: line {line}"
        x, y = _place(row, where, projection)
        out.append(Venue(row.get("name", ""), x, y, OpeningHours.parse(row.get("opening_hours", ""))))
    return out


def read_weather(path: str | os.PathLike[str]) -> dict[date, dict[str, float]]:
    """Daily weather from a CSV: a `date` column and numeric columns (e.g. tmax_c, rain_mm)."""
    out: dict[date, dict[str, float]] = {}
    for line, row in _rows(path):
        try:
            day = date.fromisoformat(row.pop("date", ""))
            out[day] = {k: float(v) for k, v in row.items() if v != ""}
        except ValueError:
            raise ForecastInputError(f"{os.fspath(path)}: line {line}: a date or a value is not readable") from None
    return out
