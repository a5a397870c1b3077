"""Crime events for forecasting (where, in metres, and when, in time order) and forecast windows.

Times are wall-clock times of the city (a date-only record is midnight of its day), kept as
`datetime64[s]`: a forecast day is a local day, and the leakage rule ("train only on events strictly
before the window") is a plain comparison on that clock.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt

from streetlight.toolkit.formats import FormatError, RowReader
from streetlight.toolkit.geo import EARTH_RADIUS_M, valid_lat_lon_mask

from .errors import ForecastInputError

FloatArray = npt.NDArray[np.float64]
TimeArray = npt.NDArray[np.datetime64]
DAY = np.timedelta64(1, "D")


def to_time(value: object) -> np.datetime64:
    """A date, datetime (aware ones are taken in UTC) or ISO string as `datetime64[s]`."""
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[s]")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return np.datetime64(value, "s")
    if isinstance(value, date):
        return np.datetime64(value, "D").astype("datetime64[s]")
    if isinstance(value, str):
        return parse_times([value])[0]
    raise ForecastInputError(f"not a time: {value!r}")


def days_between(later: object, earlier: object) -> FloatArray:
    """(later − earlier) in days as floats: the unit every kernel and rate of the toolkit uses."""
    delta = np.asarray(later, dtype="datetime64[s]") - np.asarray(earlier, dtype="datetime64[s]")
    return np.asarray(delta / np.timedelta64(1, "s"), dtype=float) / 86_400.0


def parse_times(values: Sequence[str], *, tz: tzinfo | None = None, lines: Sequence[int] | None = None) -> TimeArray:
    """ISO dates or datetimes as `datetime64[s]` wall-clock times; raises naming the first bad value.

    Times with an offset are converted to `tz` (the city's zone) when given, else to UTC, so one file
    mixing offsets still gives one clock. Numpy parses plain ISO text fast; the rest goes one by one.
    """
    texts = [v.strip() for v in values]
    if not any(("+" in v[10:] or v.endswith(("Z", "z")) or v[10:].count("-")) for v in texts):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                return np.array(texts, dtype="datetime64[s]")
        except ValueError:
            pass  # find the culprit below, with its line number
    out = np.empty(len(texts), dtype="datetime64[s]")
    for i, text in enumerate(texts):
        try:
            when = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
        except ValueError:
            where = f"line {lines[i]}: " if lines is not None else ""
            raise ForecastInputError(
                f"{where}{text!r} is not an ISO date or time (expected e.g. 2016-03-01 or 2016-03-01T22:00:00)"
            ) from None
        if when.tzinfo is not None:
            when = when.astimezone(tz or UTC).replace(tzinfo=None)
        out[i] = np.datetime64(when, "s")
    return out


@dataclass(frozen=True)
class LocalProjection:
    """Longitude/latitude to metres around a city centre (equirectangular on a sphere).

    Within 50 km of the centre distances are off by less than 0.5 %, ample for cells of 100–500 m,
    and it needs no projection library. Data already in a projected CRS (e.g. EPSG:26971) skip it.
    """

    lon0: float
    lat0: float

    @classmethod
    def around(cls, lons: npt.ArrayLike, lats: npt.ArrayLike) -> LocalProjection:
        lon, lat = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        ok = valid_lat_lon_mask(lat, lon)
        if not ok.any():
            raise ForecastInputError("no valid longitude/latitude to centre the projection on")
        return cls(float((lon[ok].min() + lon[ok].max()) / 2), float((lat[ok].min() + lat[ok].max()) / 2))

    def forward(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        k = math.pi / 180 * EARTH_RADIUS_M
        lon, lat = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        return (lon - self.lon0) * k * math.cos(math.radians(self.lat0)), (lat - self.lat0) * k

    def inverse(self, xs: npt.ArrayLike, ys: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        k = math.pi / 180 * EARTH_RADIUS_M
        x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        return self.lon0 + x / (k * math.cos(math.radians(self.lat0))), self.lat0 + y / k


@dataclass(frozen=True, eq=False)
class Events:
    """Events in time order: x, y in metres (a projected CRS), t as `datetime64[s]`.

    Time order is checked, not assumed: an unsorted file usually means a wrong date column or a
    day/month mix-up, and the windows are cut with binary search. `lon`/`lat` are kept when the
    events came as longitude/latitude, for H3 cells.
    """

    x: FloatArray
    y: FloatArray
    t: TimeArray
    lon: FloatArray | None = None
    lat: FloatArray | None = None
    source_lines: npt.NDArray[np.int64] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        n = len(self.t)
        if self.t.dtype != np.dtype("datetime64[s]"):
            object.__setattr__(self, "t", np.asarray(self.t, dtype="datetime64[s]"))
        for name in ("x", "y", "lon", "lat"):
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise ForecastInputError(f"events: {name} has {len(value)} values for {n} times")
        if not (np.isfinite(self.x).all() and np.isfinite(self.y).all()):
            raise ForecastInputError("events: coordinates must be finite numbers")
        if np.isnat(self.t).any():
            raise ForecastInputError("events: every event needs a time")
        if n > 1 and (back := np.flatnonzero(self.t[1:] < self.t[:-1])).size:
            i = int(back[0]) + 1
            where = f"line {self.source_lines[i]}" if self.source_lines is not None else f"event {i}"
            raise ForecastInputError(
                f"events are not in time order: {where} ({self.t[i]}) comes after {self.t[i - 1]}; "
                "sort them first (--sort on the command line)"
            )

    @classmethod
    def from_arrays(
        cls, x: npt.ArrayLike, y: npt.ArrayLike, t: npt.ArrayLike | Iterable[object], *, sort: bool = False
    ) -> Events:
        times = np.asarray(t)
        times = times.astype("datetime64[s]") if times.dtype.kind == "M" else np.array([to_time(v) for v in times])
        xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if sort:
            order = np.argsort(times, kind="stable")
            xs, ys, times = xs[order], ys[order], times[order]
        return cls(xs, ys, times.astype("datetime64[s]"))

    def __len__(self) -> int:
        return len(self.t)

    def _slice(self, i0: int, i1: int) -> Events:
        cut = slice(i0, i1)
        return Events(
            self.x[cut],
            self.y[cut],
            self.t[cut],
            None if self.lon is None else self.lon[cut],
            None if self.lat is None else self.lat[cut],
            None if self.source_lines is None else self.source_lines[cut],
        )

    def before(self, when: object) -> Events:
        """Events strictly before `when`: what a forecast made at `when` may know."""
        return self._slice(0, int(np.searchsorted(self.t, to_time(when), side="left")))

    def between(self, start: object, end: object) -> Events:
        """Events with start <= t < end."""
        i0 = int(np.searchsorted(self.t, to_time(start), side="left"))
        return self._slice(i0, max(i0, int(np.searchsorted(self.t, to_time(end), side="left"))))

    def select(self, keep: npt.NDArray[np.bool_]) -> Events:
        """The events where `keep` is true (order kept)."""
        return Events(
            self.x[keep],
            self.y[keep],
            self.t[keep],
            None if self.lon is None else self.lon[keep],
            None if self.lat is None else self.lat[keep],
            None if self.source_lines is None else self.source_lines[keep],
        )

    @property
    def day_resolution(self) -> bool:
        """True when every time is a midnight: the data know the day, not the hour."""
        return bool(len(self)) and bool((self.t == self.t.astype("datetime64[D]")).all())


@dataclass(frozen=True)
class Window:
    """The period a forecast is for: start <= t < end."""

    start: np.datetime64
    end: np.datetime64

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", to_time(self.start))
        object.__setattr__(self, "end", to_time(self.end))
        if not self.end > self.start:
            raise ForecastInputError(f"empty forecast window: it ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def day(cls, day: object) -> Window:
        start = to_time(day).astype("datetime64[D]")
        return cls(start, start + DAY)

    @property
    def days(self) -> float:
        return float(days_between(self.end, self.start))


@dataclass(frozen=True)
class LoadedEvents:
    """What `read_events` made of a file: the events, and what it had to leave out and why."""

    events: Events
    rows: int
    skipped: int
    skipped_lines: tuple[int, ...]
    projection: LocalProjection | None


def _number(value: Any, column: str, line: int) -> float:
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ForecastInputError(f"line {line}: {column} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ForecastInputError(f"line {line}: {column} {value!r} is not a finite number")
    return number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_events(
    path: str,
    *,
    x: str,
    y: str,
    date: str,
    hour: str | None = None,
    lonlat: bool = False,
    projection: LocalProjection | None = None,
    sort: bool = False,
    tz: tzinfo | None = None,
    fmt: str | None = None,
) -> LoadedEvents:
    """Events from a CSV, JSON-lines or GeoJSON file of rows.

    A row missing its position or time is left out and counted (a forecast cannot place it); a value
    that is there but unreadable stops the load with its line, because it means the wrong column or
    format was given. With `lonlat`, `x`/`y` are longitude/latitude, projected to metres.
    """
    lines: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    stamps: list[str] = []
    hours: list[float] = []
    skipped: list[int] = []
    rows = 0
    try:
        with RowReader(path, fmt) as reader:
            for line, row in reader:
                rows += 1
                if rows == 1:
                    missing = [c for c in (x, y, date, hour) if c is not None and c not in row]
                    if missing:
                        raise ForecastInputError(
                            f"no column {', '.join(map(repr, missing))} in {path} (columns: {', '.join(row)})"
                        )
                values = (row.get(x), row.get(y), row.get(date), row.get(hour) if hour else "0")
                if any(_blank(v) for v in values):
                    skipped.append(line)
                    continue
                xs.append(_number(values[0], x, line))
                ys.append(_number(values[1], y, line))
                stamps.append(str(values[2]))
                hours.append(_number(values[3], hour or "hour", line))
                lines.append(line)
    except FormatError as exc:
        raise ForecastInputError(f"{path}: {exc}") from None
    if not lines:
        raise ForecastInputError(f"{path}: no event with a position and a time ({rows} rows read)")
    times = parse_times(stamps, tz=tz, lines=lines)
    hour_array = np.array(hours)
    if hour and ((hour_array < 0) | (hour_array >= 24) | (hour_array != np.floor(hour_array))).any():
        i = int(np.flatnonzero((hour_array < 0) | (hour_array >= 24) | (hour_array != np.floor(hour_array)))[0])
        raise ForecastInputError(f"line {lines[i]}: {hour} {hours[i]:g} is not an hour 0..23")
    times = times + hour_array.astype("timedelta64[h]").astype("timedelta64[s]")
    ex, ey, line_array = np.array(xs), np.array(ys), np.array(lines, dtype=np.int64)
    lon = lat = None
    if lonlat:
        lon, lat = ex, ey
        ok = valid_lat_lon_mask(lat, lon)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise ForecastInputError(f"line {lines[i]}: ({lon[i]}, {lat[i]}) is not a longitude/latitude")
        projection = projection or LocalProjection.around(lon, lat)
        ex, ey = projection.forward(lon, lat)
    if sort:
        order = np.argsort(times, kind="stable")
        ex, ey, times, line_array = ex[order], ey[order], times[order], line_array[order]
        if lon is not None and lat is not None:
            lon, lat = lon[order], lat[order]
    events = Events(ex, ey, times, lon, lat, line_array)
    return LoadedEvents(events, rows, len(skipped), tuple(skipped[:10]), projection if lonlat else None)
