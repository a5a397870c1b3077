"""Official police statistics in: the data.police.uk street-level layout and any CSV with a mapping.

An import is all or nothing unless the user asks otherwise: every bad row is reported with its line
number, and by default nothing is imported when there is one. With `allow_partial=True` the good
rows are imported and the bad ones returned beside them — never half an import in silence.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from streetlight.toolkit.geo import AreaIndex

POLICE_UK_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip
EARLIEST_MONTH = np.datetime64("1990-01", "M")
_FIELDS = ("month", "crime_type", "area", "lat", "lon", "count", "outcome")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
#: (min_lat, min_lon, max_lat, max_lon), or a test such as AreaIndex.contains
Bounds = tuple[float, float, float, float] | AreaIndex
Source = str | os.PathLike[str] | IO[str]


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header
    message: str
    source: str = ""  # the file, when several were read

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}line {self.line}: {self.message}"


class ImportFailed(ValueError):
    """Nothing was imported; `errors` lists every problem found, with its line."""

    def __init__(self, errors: Iterable[RowError], source: str = "") -> None:
        self.errors = tuple(errors)
        shown = "; ".join(str(e) for e in self.errors[:20])
        more = f"; … and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{len(self.errors)} bad row(s), nothing imported: {shown}{more}")


@dataclass(frozen=True)
class RecordedCrimes:
    """Police-recorded crimes, one entry per imported row (a row may stand for `count` crimes)."""

    month: npt.NDArray[np.datetime64]  # datetime64[M]
    crime_type: npt.NDArray[np.object_]
    area: npt.NDArray[np.object_]  # the file's area code (LSOA for police.uk), None if absent
    lat: npt.NDArray[np.float64]  # NaN where the row has no location
    lon: npt.NDArray[np.float64]
    count: npt.NDArray[np.int64]
    line: npt.NDArray[np.int64]
    outcome: npt.NDArray[np.object_]

    def __len__(self) -> int:
        return int(self.count.size)

    @property
    def total(self) -> int:
        return int(self.count.sum())

    @property
    def located(self) -> int:
        return int(self.count[~np.isnan(self.lat)].sum())

    def type_counts(self) -> dict[str, int]:
        types, inv = np.unique(self.crime_type.astype(str), return_inverse=True)
        sums = np.bincount(inv.ravel(), weights=self.count, minlength=types.size)
        return {t: int(s) for t, s in sorted(zip(types.tolist(), sums.tolist(), strict=True), key=lambda x: -x[1])}

    def with_areas(self, areas: npt.ArrayLike) -> RecordedCrimes:
        """The same crimes with other area codes (e.g. districts from AreaIndex.locate_many)."""
        codes = np.asarray(areas, dtype=object).ravel()
        if codes.size != len(self):
            raise ValueError("one area per recorded row")
        return RecordedCrimes(**{**{f.name: getattr(self, f.name) for f in fields(self)}, "area": codes})

    @classmethod
    def concat(cls, parts: Iterable[RecordedCrimes]) -> RecordedCrimes:
        items = list(parts)
        if not items:
            return _empty()
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in items]) for f in fields(cls)})


def _empty() -> RecordedCrimes:
    obj = np.zeros(0, dtype=object)
    return RecordedCrimes(
        np.zeros(0, "datetime64[M]"),
        obj,
        obj,
        np.zeros(0),
        np.zeros(0),
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        obj,
    )


@dataclass(frozen=True)
class ImportResult:
    crimes: RecordedCrimes
    errors: tuple[RowError, ...]
    rows_read: int


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a generic CSV holds what. Only `month` and `crime_type` are required;
    `count` is for tables of counts (one row per area, month and type) rather than one row a crime."""

    month: str
    crime_type: str
    lat: str | None = None
    lon: str | None = None
    area: str | None = None
    count: str | None = None
    outcome: str | None = None
    date_format: str = "%Y-%m"
    delimiter: str = ","

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> ColumnMapping:
        """From {"columns": {"month": "Date", …}, "date_format": "%d/%m/%Y", "delimiter": ";"}."""
        columns = dict(obj.get("columns", {}))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(columns) - known)
        if unknown:
            raise ValueError(f"unknown field(s) in the column mapping: {', '.join(unknown)}")
        extra = {k: obj[k] for k in ("date_format", "delimiter") if k in obj}
        try:
            return cls(**columns, **extra)
        except TypeError as exc:
            raise ValueError(f"incomplete column mapping: {exc}") from None

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))


def _open(source: Source) -> tuple[IO[str], bool]:
    """A text stream on the source (gzip when the name ends in .gz) and whether we must close it."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.suffix == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline=""), True
        return open(path, encoding="utf-8-sig", newline=""), True
    return source, False


@dataclass(frozen=True)
class _Layout:
    """Column names of each field in one file's layout, and how its month is written."""

    columns: Mapping[str, str | None]  # field -> column
    parse_month: Callable[[str], np.datetime64]
    expected: tuple[str, ...] | None  # every column the layout has (None: others allowed)
    delimiter: str = ","


def _police_month(text: str) -> np.datetime64:
    if not _MONTH.match(text) or not 1 <= int(text[5:]) <= 12:
        raise ValueError(f"month {text!r} is not a month written YYYY-MM")
    return np.datetime64(text, "M")


def _format_month(fmt: str) -> Callable[[str], np.datetime64]:
    def parse(text: str) -> np.datetime64:
        try:
            when = datetime.strptime(text, fmt)  # noqa: DTZ007 - only the calendar month is kept
        except ValueError:
            raise ValueError(f"date {text!r} does not match {fmt!r}") from None
        return np.datetime64(f"{when.year:04d}-{when.month:02d}", "M")

    return parse


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(f"{name} {text!r} is out of range")
    return value


def _parse(record: list[str], idx: Mapping[str, int | None], layout: _Layout) -> tuple[Any, ...]:
    """(month, crime type, area, lat, lon, count, outcome) of one row, or ValueError saying why not."""

    def get(name: str) -> str:
        i = idx.get(name)
        return record[i].strip() if i is not None else ""

    month = layout.parse_month(get("month"))
    crime_type = get("crime_type")
    if not crime_type:
        raise ValueError("the crime type is empty")
    lat_s, lon_s = get("lat"), get("lon")
    if bool(lat_s) != bool(lon_s):
        raise ValueError("latitude and longitude must both be given or both be empty")
    lat = _coordinate(lat_s, "latitude", 90.0) if lat_s else math.nan
    lon = _coordinate(lon_s, "longitude", 180.0) if lon_s else math.nan
    count = 1
    if idx.get("count") is not None:
        try:
            count = int(get("count"))
        except ValueError:
            raise ValueError(f"count {get('count')!r} is not a whole number") from None
        if count < 0:
            raise ValueError(f"count {count} is negative")
    return month, crime_type, get("area") or None, lat, lon, count, get("outcome")


def _read(source: Source, layout: _Layout) -> tuple[dict[str, list[Any]], list[RowError], int]:
    """Every row that parses, every one that does not (with its line), and the rows read."""
    fh, owned = _open(source)
    cols: dict[str, list[Any]] = {
        k: [] for k in ("month", "crime_type", "area", "lat", "lon", "count", "outcome", "line")
    }
    errors: list[RowError] = []
    rows = 0
    try:
        reader = csv.reader(fh, delimiter=layout.delimiter, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ImportFailed([RowError(1, "the file is empty")]) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFailed([RowError(1, f"the header cannot be read: {exc}")]) from None
        dupes = sorted({h for h in header if header.count(h) > 1})
        wanted = {f: c for f, c in layout.columns.items() if c is not None}
        missing = [f"{c!r} ({f})" for f, c in wanted.items() if c not in header]
        if dupes or missing:
            problems = ([f"duplicate column(s) {', '.join(dupes)}"] if dupes else []) + (
                [f"missing column(s) {', '.join(missing)}"] if missing else []
            )
            raise ImportFailed([RowError(1, "; ".join(problems))])
        if layout.expected is not None and (unknown := [h for h in header if h not in layout.expected]):
            errors.append(RowError(1, f"unknown column(s) {', '.join(unknown)}"))
        idx: dict[str, int | None] = {
            f: (header.index(c) if c is not None else None) for f, c in layout.columns.items()
        }
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                errors.append(RowError(start, f"not readable ({exc}); the rest of the file was not read"))
                break
            if not any(field.strip() for field in record):
                continue
            rows += 1
            if len(record) != len(header):
                errors.append(RowError(start, f"{len(record)} fields, but the header has {len(header)}"))
                continue
            try:
                values = _parse(record, idx, layout)
            except ValueError as exc:
                errors.append(RowError(start, str(exc)))
                continue
            for key, value in zip(cols, (*values, start), strict=True):
                cols[key].append(value)
    finally:
        if owned:
            fh.close()
    return cols, errors, rows


def _finish(
    cols: dict[str, list[Any]], errors: list[RowError], bounds: Bounds | None, months: tuple[Any, Any] | None
) -> tuple[RecordedCrimes, list[RowError]]:
    """Arrays from the parsed rows, less those outside the months or the city (vectorised checks)."""
    month = np.array(cols["month"], dtype="datetime64[M]")
    lat, lon = np.array(cols["lat"], dtype=float), np.array(cols["lon"], dtype=float)
    line = np.array(cols["line"], dtype=np.int64)
    first, last = months or (EARLIEST_MONTH, np.datetime64(datetime.now(UTC).strftime("%Y-%m"), "M"))
    first, last = np.datetime64(first, "M"), np.datetime64(last, "M")
    bad_month = (month < first) | (month > last)
    located = ~np.isnan(lat)
    outside = np.zeros(line.size, dtype=bool)
    if bounds is not None and located.any():
        if isinstance(bounds, AreaIndex):
            outside[located] = bounds.locate_many(lat[located], lon[located]) == None  # noqa: E711
        else:
            s, w, n, e = bounds
            outside = located & ~((lat >= s) & (lat <= n) & (lon >= w) & (lon <= e))
    for i in np.flatnonzero(bad_month).tolist():
        errors.append(RowError(int(line[i]), f"month {month[i]} is outside {first} .. {last}"))
    for i in np.flatnonzero(outside & ~bad_month).tolist():
        errors.append(RowError(int(line[i]), f"position ({lat[i]}, {lon[i]}) is outside the city"))
    keep = ~(bad_month | outside)
    crimes = RecordedCrimes(
        month=month[keep],
        crime_type=np.array(cols["crime_type"], dtype=object)[keep],
        area=np.array(cols["area"] + [None], dtype=object)[:-1][keep],
        lat=lat[keep],
        lon=lon[keep],
        count=np.array(cols["count"], dtype=np.int64)[keep],
        line=line[keep],
        outcome=np.array(cols["outcome"] + [None], dtype=object)[:-1][keep],
    )
    return crimes, sorted(errors, key=lambda e: e.line)


def _import(
    sources: Sequence[Source],
    layout: _Layout,
    bounds: Bounds | None,
    months: tuple[Any, Any] | None,
    allow_partial: bool,
) -> ImportResult:
    parts, all_errors, rows = [], [], 0
    for source in sources:
        name = os.fspath(source) if isinstance(source, (str, os.PathLike)) and len(sources) > 1 else ""
        try:
            cols, errors, n = _read(source, layout)
        except ImportFailed as exc:
            if len(sources) == 1:
                raise
            all_errors += [RowError(e.line, e.message, name) for e in exc.errors]
            continue
        crimes, errors = _finish(cols, errors, bounds, months)
        parts.append(crimes)
        all_errors += [RowError(e.line, e.message, name) for e in errors]
        rows += n
    if all_errors and not allow_partial:
        raise ImportFailed(all_errors)
    return ImportResult(crimes=RecordedCrimes.concat(parts), errors=tuple(all_errors), rows_read=rows)


def read_police_uk(
    *sources: Source,
    bounds: Bounds | None = None,
    months: tuple[Any, Any] | None = None,
    allow_partial: bool = False,
) -> ImportResult:
    """Read data.police.uk street-level CSV files (plain or .gz), one row per crime.

    `bounds` is (min_lat, min_lon, max_lat, max_lon) or an AreaIndex: a position outside it is a
    bad row (rows with no position are kept: police.uk leaves some crimes unlocated). `months` is the
    (first, last) month accepted, by default 1990-01 to this month. Raises ImportFailed listing every
    bad row unless `allow_partial`, which imports the good rows and returns the bad ones.
    """
    columns: dict[str, str | None] = {"month": "Month", "crime_type": "Crime type", "area": "LSOA code"}
    columns |= {"lat": "Latitude"}
    columns |= {"lon": "Longitude", "count": None, "outcome": "Last outcome category"}
    layout = _Layout(columns=columns, parse_month=_police_month, expected=POLICE_UK_COLUMNS)
    return _import(sources, layout, bounds, months, allow_partial)


def read_mapped_csv(
    *sources: Source,
    mapping: ColumnMapping | Mapping[str, Any],
    bounds: Bounds | None = None,
    months: tuple[Any, Any] | None = None,
    allow_partial: bool = False,
) -> ImportResult:
    """Read any CSV of recorded crime through a column mapping (a ColumnMapping or its JSON form).

    Same checks and the same all-or-nothing rule as read_police_uk; other columns are ignored.
    """
    m = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.from_dict(mapping)
    columns: dict[str, str | None] = {"month": m.month, "crime_type": m.crime_type, "area": m.area}
    columns |= {"lat": m.lat, "lon": m.lon}
    columns |= {"count": m.count, "outcome": m.outcome}
    if (m.lat is None) != (m.lon is None):
        raise ValueError("map both lat and lon, or neither")
    layout = _Layout(columns=columns, parse_month=_format_month(m.date_format), expected=None, delimiter=m.delimiter)
    return _import(sources, layout, bounds, months, allow_partial)
