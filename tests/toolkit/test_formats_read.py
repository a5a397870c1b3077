"""read_rows / RowReader: CSV, JSON-lines and GeoJSON, formats, line numbers, streaming."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from streetlight.toolkit.formats import FormatError, RowReader, read_rows

FC: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [7.68, 45.07]},
            "properties": {"id": 1},
        },
        {"type": "Feature", "geometry": None, "properties": {"id": 2, "note": "no place given"}},
    ],
}


def rows_of(text: str, fmt: str | None = None) -> list[dict[str, Any]]:
    return list(read_rows(io.StringIO(text), fmt))


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_rows_are_dicts_of_strings() -> None:
    assert rows_of("id,lat,lon\n1,45.07,7.68\n", "csv") == [{"id": "1", "lat": "45.07", "lon": "7.68"}]


def test_csv_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,name\n1,Mole Antonelliana\n".encode())
    assert list(read_rows(path)) == [{"id": "1", "name": "Mole Antonelliana"}]


def test_csv_byte_order_mark_in_a_text_stream_is_dropped() -> None:
    assert rows_of("\ufeffid\n1\n", "csv") == [{"id": "1"}]


def test_csv_quoted_field_may_span_lines() -> None:
    assert rows_of('id,text\n1,"two\nlines"\n', "csv") == [{"id": "1", "text": "two\nlines"}]


def test_csv_short_rows_are_padded_with_empty_strings() -> None:
    assert rows_of("a,b,c\n1\n", "csv") == [{"a": "1", "b": "", "c": ""}]


def test_csv_extra_fields_are_an_error_with_the_line() -> None:
    with pytest.raises(FormatError, match=r"^line 3: 3 fields, but the header has 2$"):
        rows_of("a,b\n1,2\n1,2,3\n", "csv")


def test_csv_duplicate_header_names_are_an_error() -> None:
    with pytest.raises(FormatError, match=r"line 1: duplicate column name.*: lat"):
        rows_of("lat,lat\n1,2\n", "csv")


def test_csv_blank_lines_are_skipped() -> None:
    assert rows_of("a\n1\n\n2\n", "csv") == [{"a": "1"}, {"a": "2"}]


def test_csv_line_numbers_count_physical_lines() -> None:
    with RowReader(io.StringIO('a,b\n1,"x\ny"\n\n2,z\n'), "csv") as reader:
        assert [line for line, _ in reader] == [3, 5]


# -- JSON-lines ---------------------------------------------------------------------------------------


def test_jsonl_rows_keep_json_types() -> None:
    assert rows_of('{"id": 1, "lat": 45.07, "ok": true}\n', "jsonl") == [{"id": 1, "lat": 45.07, "ok": True}]


def test_jsonl_bad_line_is_named() -> None:
    text = "\n".join([f'{{"n": {i}}}' for i in range(6)] + ['{"n": 7,}']) + "\n"
    with pytest.raises(FormatError, match=r"^line 7: not valid JSON: "):
        rows_of(text, "jsonl")


def test_jsonl_line_must_be_an_object() -> None:
    with pytest.raises(FormatError, match=r"^line 2: expected a JSON object, got an array$"):
        rows_of('{"a": 1}\n[1, 2]\n', "jsonl")


def test_jsonl_blank_lines_are_skipped_but_counted() -> None:
    with RowReader(io.StringIO('{"a": 1}\n\n{"a": 2}\n'), "jsonl") as reader:
        assert list(reader) == [(1, {"a": 1}), (3, {"a": 2})]


# -- GeoJSON ---------------------------------------------------------------------------------------


def test_geojson_point_becomes_lat_and_lon() -> None:
    assert rows_of(json.dumps(FC), "geojson")[0] == {"id": 1, "lat": 45.07, "lon": 7.68}


def test_geojson_null_geometry_gives_empty_lat_lon() -> None:
    assert rows_of(json.dumps(FC), "geojson")[1] == {
        "id": 2,
        "note": "no place given",
        "lat": None,
        "lon": None,
    }


def test_geojson_feature_id_is_kept() -> None:
    fc = {"type": "FeatureCollection", "features": [{**FC["features"][0], "id": "r-9", "properties": {}}]}
    assert rows_of(json.dumps(fc), "geojson") == [{"id": "r-9", "lat": 45.07, "lon": 7.68}]


def test_geojson_pretty_and_minified_read_the_same() -> None:
    assert rows_of(json.dumps(FC, indent=4), "geojson") == rows_of(json.dumps(FC), "geojson")


def test_geojson_polygon_rows_are_refused() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[7, 45], [8, 45], [8, 46], [7, 45]]]}
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": polygon, "properties": {}}],
    }
    with pytest.raises(FormatError, match="geometry must be a Point or null, got Polygon"):
        rows_of(json.dumps(fc), "geojson")


def test_geojson_broken_feature_names_its_line() -> None:
    text = json.dumps(FC, indent=2).replace('"note": "no place given"', '"note": "no place given",')
    broken_line = next(i for i, line in enumerate(text.splitlines(), 1) if "no place given" in line)
    with pytest.raises(FormatError, match=f"^line {broken_line}: not valid JSON"):
        rows_of(text, "geojson")


def test_geojson_lone_feature_is_refused() -> None:
    with pytest.raises(FormatError, match="expected a FeatureCollection, got type 'Feature'"):
        rows_of(json.dumps(FC["features"][0]), "geojson")


def test_geojson_without_features_is_refused() -> None:
    with pytest.raises(FormatError, match="has no 'features' array"):
        rows_of('{"type": "FeatureCollection"}', "geojson")


def test_geojson_truncated_file_is_an_error() -> None:
    with pytest.raises(FormatError, match="not valid JSON"):
        rows_of(json.dumps(FC)[:-30], "geojson")


def test_geojson_other_members_before_features_are_skipped() -> None:
    text = '{"bbox": [7.0, 45.0, 8.0, 46.0], "name": {"deep": [1, {"x": 2}]}, ' + json.dumps(FC)[1:]
    assert len(rows_of(text, "geojson")) == 2


class Trickle(io.TextIOBase):
    """A text stream that hands out a few characters per read, like a slow pipe."""

    def __init__(self, text: str, step: int) -> None:
        self._text, self._pos, self._step = text, 0, step

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        n = self._step if size is None or size < 0 else min(size, self._step)
        chunk = self._text[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk


@pytest.mark.parametrize("step", [1, 3, 7])
def test_geojson_reads_correctly_from_short_reads(step: int) -> None:
    text = json.dumps({**FC, "bbox": [7.0, 45.0, 7.68, 45.07]}, indent=1)
    assert list(read_rows(Trickle(text, step), "geojson")) == rows_of(text, "geojson")


# -- formats, sources, streaming -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("r.csv", "id\n1\n"),
        ("r.jsonl", '{"id": "1"}\n'),
        ("r.ndjson", '{"id": "1"}\n'),
        ("r.geojson", json.dumps({"type": "FeatureCollection", "features": [FC["features"][1]]})),
    ],
)
def test_format_comes_from_the_extension(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert str(next(read_rows(path))["id"]) in {"1", "2"}


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ("id,lat\n1,2\n", "csv"),
        ('{"id": 1}\n{"id": 2}\n', "jsonl"),
        (json.dumps(FC), "geojson"),
        (json.dumps(FC, indent=2), "geojson"),
    ],
)
def test_format_of_a_stream_is_sniffed(content: str, fmt: str) -> None:
    with RowReader(io.StringIO(content)) as reader:
        assert reader.fmt == fmt


def test_explicit_format_wins_over_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "really-jsonl.csv"
    path.write_text('{"id": 1}\n', encoding="utf-8")
    assert list(read_rows(path, "jsonl")) == [{"id": 1}]


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfid\n7\n")))
    assert list(read_rows("-")) == [{"id": "7"}]


def test_binary_stream_is_decoded_as_utf8_and_left_open() -> None:
    stream = io.BytesIO('name\n"Piazza Vittorio Veneto, detta «Piazza Vittorio»"\n'.encode())
    assert list(read_rows(stream, "csv")) == [{"name": "Piazza Vittorio Veneto, detta «Piazza Vittorio»"}]
    assert not stream.closed


def test_non_utf8_input_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="not UTF-8"):
        list(read_rows(io.BytesIO("id\ncaffè\n".encode("latin-1")), "csv"))


def test_unknown_format_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        read_rows(io.StringIO(""), "xml")


def test_format_error_is_a_value_error_with_the_line() -> None:
    with pytest.raises(ValueError) as info:
        rows_of('{"a": 1}\nnope\n', "jsonl")
    assert isinstance(info.value, FormatError) and info.value.line == 2


class CountingStream(io.TextIOBase):
    """A huge generated input that records how much of it has been read."""

    def __init__(self, head: str, row: str, tail: str, rows: int) -> None:
        self._parts = iter([head, *(row for _ in range(rows)), tail])
        self._pending = ""
        self.chars_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        want = 1 << 30 if size is None or size < 0 else size
        while len(self._pending) < want:
            part = next(self._parts, None)
            if part is None:
                break
            self._pending += part
        chunk, self._pending = self._pending[:want], self._pending[want:]
        self.chars_read += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = ""
        while not line.endswith("\n"):
            char = self.read(1)
            if not char:
                break
            line += char
        return line

    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line


FEATURE = json.dumps(FC["features"][0]) + ",\n"


@pytest.mark.parametrize(
    ("fmt", "head", "row", "tail"),
    [
        ("csv", "id,lat,lon\n", "1,45.07,7.68\n", ""),
        ("jsonl", "", '{"id": 1, "lat": 45.07}\n', ""),
        ("geojson", '{"type": "FeatureCollection", "features": [\n', FEATURE, FEATURE[:-2] + "]}"),
    ],
)
def test_first_row_arrives_before_a_large_input_is_read(fmt: str, head: str, row: str, tail: str) -> None:
    stream = CountingStream(head, row, tail, rows=2_000_000)  # ~100 MB of GeoJSON
    rows = read_rows(stream, fmt)
    next(rows)
    assert stream.chars_read < 1_000_000
