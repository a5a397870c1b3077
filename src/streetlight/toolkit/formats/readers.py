"""Read rows (plain dicts) from CSV, JSON-lines or GeoJSON, streaming, with line numbers.

Every toolkit verb works on "rows", so a city can feed it a spreadsheet export, a log-style
JSON-lines dump or a GIS layer without converting first. Nothing is loaded whole.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TextIO, cast

from .errors import FormatError
from .geojson_stream import iter_features

FORMATS = ("csv", "jsonl", "geojson")
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".geojson": "geojson"}
_SNIFF_CHARS = 1 << 16

#: A path, "-" for stdin, or an open stream (text or bytes) that stays the caller's to close.
Source = str | os.PathLike[str] | IO[str] | IO[bytes] | io.TextIOBase


def check_format(fmt: str) -> str:
    """Return fmt if it is one we read and write, else raise a ValueError listing the choices."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def guess_format(name: str | os.PathLike[str]) -> str | None:
    """Format implied by a file name's extension, or None (".json" is ambiguous on purpose)."""
    return _EXTENSIONS.get(Path(name).suffix.lower())


def sniff_format(head: str) -> str:
    """Guess the format from the first characters of the input (a pipe has no file name).

    JSON-lines and a one-line FeatureCollection both start with "{": the first line decides.
    """
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return "csv"
    first_line = text.split("\n", 1)[0]
    try:
        obj = json.loads(first_line)
    except json.JSONDecodeError:
        return "geojson"  # a pretty-printed document spans several lines
    return "geojson" if isinstance(obj, dict) and obj.get("type") == "FeatureCollection" else "jsonl"


def _lines(prefix: str, stream: TextIO) -> Iterator[str]:
    """Lines of `prefix` followed by the rest of `stream`, split on "\\n" only."""
    pieces = prefix.split("\n")
    tail = pieces.pop()
    for piece in pieces:
        yield piece + "\n"
    if tail:
        yield tail + stream.readline()
    yield from stream


def _csv_rows(prefix: str, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(_lines(prefix, stream))
    try:
        header = next(reader, None)
        if header is None:
            return
        if len(set(header)) != len(header):
            dupes = sorted({h for h in header if header.count(h) > 1})
            raise FormatError(f"duplicate column name(s) in the header: {', '.join(dupes)}", line=reader.line_num)
        for record in reader:
            if not record:
                continue  # a blank line
            if len(record) > len(header):
                # Extra fields would be dropped silently (csv.DictReader keys them under None).
                raise FormatError(f"{len(record)} fields, but the header has {len(header)}", line=reader.line_num)
            record += [""] * (len(header) - len(record))
            yield reader.line_num, dict(zip(header, record, strict=True))
    except csv.Error as exc:
        raise FormatError(f"not valid CSV: {exc}", line=reader.line_num) from None


def _json_kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def _jsonl_rows(prefix: str, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(_lines(prefix, stream), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise FormatError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=number) from None
        if not isinstance(obj, dict):
            raise FormatError(f"expected a JSON object, got {_json_kind(obj)}", line=number)
        yield number, obj


def feature_to_row(feature: Any, line: int | None = None) -> dict[str, Any]:
    """Properties of a Point (or null-geometry) feature plus `lat`/`lon` from its coordinates."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise FormatError("expected a GeoJSON Feature", line=line)
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise FormatError("feature properties must be an object", line=line)
    row = dict(properties)
    if "id" in feature:
        row.setdefault("id", feature["id"])
    geometry = feature.get("geometry")
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if geometry is None or coords == []:
        row.setdefault("lat", None)
        row.setdefault("lon", None)
        return row
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise FormatError(f"geometry must be a Point or null, got {kind}", line=line)
    if not (isinstance(coords, list) and len(coords) >= 2 and all(_is_number(c) for c in coords[:2])):
        raise FormatError("Point coordinates must be [lon, lat] numbers", line=line)
    row["lon"], row["lat"] = coords[0], coords[1]
    return row


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _geojson_rows(prefix: str, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, feature in iter_features(stream, prefix):
        yield line, feature_to_row(feature, line)


_READERS = {"csv": _csv_rows, "jsonl": _jsonl_rows, "geojson": _geojson_rows}


class RowReader:
    """Rows of one input with the line each starts (CSV: ends) on, and the format it resolved.

    Opening sniffs a pipe's format from its first 64 KiB, so `fmt` is known before the first row;
    tools use it to write their output in the same format.
    """

    def __init__(self, source: Source, fmt: str | None = None) -> None:
        self._owned: IO[Any] | None = None  # a file we opened and must close
        self._wrapper: io.TextIOWrapper | None = None  # wraps a caller's byte stream; detach, never close
        if fmt is not None:
            check_format(fmt)
        if isinstance(source, (str, os.PathLike)) and os.fspath(source) != "-":
            fmt = fmt or guess_format(source)
            self._owned = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by close()
            self._stream: TextIO = self._owned
        else:
            raw: Any = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
            self._stream = self._as_text(raw if isinstance(source, (str, os.PathLike)) else source)
        try:
            self._prefix = self._stream.read(_SNIFF_CHARS).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            self.close()
            raise FormatError(f"not UTF-8 text: {exc.reason}") from None
        self.fmt: str = fmt or sniff_format(self._prefix)

    def _as_text(self, stream: Any) -> TextIO:
        if isinstance(stream.read(0), bytes):
            self._wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            return self._wrapper
        return cast(TextIO, stream)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            yield from _READERS[self.fmt](self._prefix, self._stream)
        except UnicodeDecodeError as exc:
            raise FormatError(f"not UTF-8 text: {exc.reason}") from None

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
        if self._wrapper is not None:
            self._wrapper.detach()
            self._wrapper = None

    def __enter__(self) -> RowReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_rows(source: Source, fmt: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield each row of a CSV, JSON-lines or GeoJSON input as a dict, streaming.

    `source` is a path, "-" for standard input, or an open text or binary stream (left open).
    `fmt` is "csv", "jsonl" or "geojson"; when None it comes from the file extension, else from
    the content. CSV values stay strings; GeoJSON Point coordinates become `lat` and `lon`.
    Malformed input raises FormatError naming the line.
    """
    if fmt is not None:
        check_format(fmt)  # fail now, not at the first next()
    return _read(source, fmt)


def _read(source: Source, fmt: str | None) -> Iterator[dict[str, Any]]:
    with RowReader(source, fmt) as reader:
        for _line, row in reader:
            yield row
