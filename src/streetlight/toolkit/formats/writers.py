"""Write rows (dicts) as CSV, JSON-lines or a GeoJSON FeatureCollection, one row at a time."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from .errors import FormatError
from .readers import check_format


def _default(value: Any) -> Any:
    """JSON for the types rows pick up on the way: times, Decimals from the ORM, numpy scalars."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    item = getattr(value, "item", None)  # numpy scalars, without importing numpy here
    if callable(item):
        return item()
    raise TypeError(f"value of type {type(value).__name__} cannot be written as JSON")


def _finite(value: Any) -> Any:
    """Replace NaN/inf by None: they are not JSON, and "nan" in a CSV cell is never meant."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Compact UTF-8 JSON, NaN written as null."""
    try:
        return json.dumps(value, ensure_ascii=False, default=_default, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, default=_default, allow_nan=False)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return dumps(value)  # JSON rather than Python's repr, so it can be read back
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def _write_csv(rows: Iterable[Mapping[str, Any]], stream: TextIO, fieldnames: Sequence[str] | None) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    header: list[str] | None = list(fieldnames) if fieldnames is not None else None
    if header is not None:
        writer.writerow(header)
    count = 0
    for count, row in enumerate(rows, start=1):
        if header is None:
            header = list(row)
            writer.writerow(header)
        extra = [k for k in row if k not in header]
        if extra:
            # A CSV header is written before later rows are seen; dropping their fields would lose data.
            raise FormatError(f"row {count} has field(s) not in the CSV header: {', '.join(map(str, extra))}")
        writer.writerow([_cell(row.get(name)) for name in header])
    return count


def _write_jsonl(rows: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    count = 0
    for count, row in enumerate(rows, start=1):
        stream.write(_dump_row(row, count) + "\n")
    return count


def _dump_row(value: Any, number: int) -> str:
    try:
        return dumps(value)
    except TypeError as exc:
        raise FormatError(f"row {number}: {exc}") from None


def _point(lat: Any, lon: Any) -> dict[str, Any] | None:
    """A GeoJSON Point from row values (numbers or numeric strings), None if unusable."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f) and abs(lat_f) <= 90 and abs(lon_f) <= 180):
        return None
    return {"type": "Point", "coordinates": [lon_f, lat_f]}


def _write_geojson(rows: Iterable[Mapping[str, Any]], stream: TextIO, lat_key: str, lon_key: str) -> int:
    stream.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for count, row in enumerate(rows, start=1):
        properties = dict(row)
        geometry = _point(row.get(lat_key), row.get(lon_key))
        if geometry is not None:  # unusable coordinates stay in the properties: nothing is dropped
            properties.pop(lat_key, None)
            properties.pop(lon_key, None)
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        stream.write(("" if count == 1 else ",\n") + _dump_row(feature, count))
    stream.write("\n]}\n")
    return count


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    stream: TextIO,
    fmt: str,
    *,
    fieldnames: Sequence[str] | None = None,
    lat_key: str = "lat",
    lon_key: str = "lon",
) -> int:
    """Write rows to a text stream as "csv", "jsonl" or "geojson"; return how many were written.

    Rows are consumed lazily, so a generator of a million rows never sits in memory. CSV columns
    come from `fieldnames` or the first row. GeoJSON builds Point features from `lat_key` and
    `lon_key`; rows without usable coordinates get a null geometry.
    """
    check_format(fmt)
    if fmt == "csv":
        return _write_csv(rows, stream, fieldnames)
    if fmt == "jsonl":
        return _write_jsonl(rows, stream)
    return _write_geojson(rows, stream, lat_key, lon_key)
