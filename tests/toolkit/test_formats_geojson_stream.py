"""The streaming FeatureCollection parser on inputs larger than its buffer."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.formats import FormatError, RowReader, read_rows
from streetlight.toolkit.formats.geojson_stream import CHUNK_CHARS


def collection(n: int, indent: int | None) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [7.6 + i * 1e-5, 45.0 + i * 1e-5]},
            "properties": {"id": i, "text": "street light out near the tram stop " * (i % 4)},
        }
        for i in range(n)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, indent=indent)


def test_many_buffers_of_features_are_all_read() -> None:
    text = collection(3000, indent=None)
    assert len(text) > 5 * CHUNK_CHARS
    assert [row["id"] for row in read_rows(io.StringIO(text), "geojson")] == list(range(3000))


def test_line_numbers_stay_right_after_the_buffer_slides() -> None:
    text = collection(3000, indent=1)
    assert len(text) > 5 * CHUNK_CHARS
    starts = [i for i, line in enumerate(text.splitlines(), 1) if line == "  {"]
    with RowReader(io.StringIO(text), "geojson") as reader:
        assert [line for line, _ in reader] == starts


def test_error_late_in_a_large_file_names_its_line() -> None:
    text = collection(3000, indent=1).replace('"id": 2500,', '"id": 2500,,')
    bad = next(i for i, line in enumerate(text.splitlines(), 1) if '"id": 2500,,' in line)
    with pytest.raises(FormatError, match=f"^line {bad}: not valid JSON"):
        list(read_rows(io.StringIO(text), "geojson"))


def test_a_single_huge_string_spanning_buffers_is_read() -> None:
    big = "x" * (3 * CHUNK_CHARS + 17)
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": None, "properties": {"t": big}}],
        }
    )
    assert next(read_rows(io.StringIO(text), "geojson"))["t"] == big


def test_trailing_garbage_is_an_error() -> None:
    with pytest.raises(FormatError, match=r"^line 2: unexpected data after the FeatureCollection"):
        list(read_rows(io.StringIO('{"type": "FeatureCollection", "features": []}\n{}'), "geojson"))


def test_type_after_features_is_still_checked() -> None:
    with pytest.raises(FormatError, match="expected a FeatureCollection, got type 'GeometryCollection'"):
        list(read_rows(io.StringIO('{"features": [], "type": "GeometryCollection"}'), "geojson"))


class Chunks(io.TextIOBase):
    def __init__(self, text: str, sizes: list[int]) -> None:
        self._text, self._pos, self._sizes = text, 0, sizes

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        step = self._sizes[self._pos % len(self._sizes)]
        n = step if size is None or size < 0 else min(size, step)
        chunk = self._text[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {"lat": st.floats(-90, 90), "lon": st.floats(-180, 180)},
        optional={
            "note": st.text(),
            "n": st.floats(allow_nan=False, allow_infinity=False),
            "k": st.integers(),
        },
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.lists(st.integers(1, 40), min_size=1, max_size=5), st.sampled_from([None, 0, 2]))
def test_any_split_of_the_input_reads_the_same(
    rows: list[dict[str, Any]], sizes: list[int], indent: int | None
) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")},
        }
        for r in rows
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, indent=indent)
    assert list(read_rows(Chunks(text, sizes), "geojson")) == rows
