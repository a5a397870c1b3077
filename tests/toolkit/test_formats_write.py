"""write_rows, and round trips through read_rows."""

from __future__ import annotations

import io
import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from streetlight.toolkit.formats import FormatError, read_rows, write_rows


def written(rows: list[dict[str, Any]], fmt: str, **kwargs: Any) -> str:
    out = io.StringIO()
    write_rows(rows, out, fmt, **kwargs)
    return out.getvalue()


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_header_comes_from_the_first_row() -> None:
    assert written([{"id": 1, "area": "W"}, {"area": "E", "id": 2}], "csv") == "id,area\n1,W\n2,E\n"


def test_csv_fieldnames_fix_the_columns() -> None:
    assert written([{"b": 2}], "csv", fieldnames=["a", "b"]) == "a,b\n,2\n"


def test_csv_none_and_nan_are_empty_cells() -> None:
    assert written([{"a": None, "b": math.nan, "c": 0}], "csv") == "a,b,c\n,,0\n"


def test_csv_nested_values_are_json() -> None:
    assert written([{"tags": ["night", "bus stop"]}], "csv") == 'tags\n"[""night"", ""bus stop""]"\n'


def test_csv_row_with_a_new_field_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(FormatError, match="row 2 has field\\(s\\) not in the CSV header: extra"):
        written([{"a": 1}, {"a": 2, "extra": 3}], "csv")


def test_csv_of_no_rows_is_empty() -> None:
    assert written([], "csv") == ""


# -- JSON-lines -----------------------------------------------------------------------------------------


def test_jsonl_writes_one_object_per_line() -> None:
    assert written([{"a": 1}, {"b": "é"}], "jsonl") == '{"a": 1}\n{"b": "é"}\n'


def test_jsonl_nan_becomes_null() -> None:
    assert json.loads(written([{"lat": math.nan, "n": [1.0, math.inf]}], "jsonl")) == {
        "lat": None,
        "n": [1.0, None],
    }


def test_jsonl_writes_times_decimals_and_numpy_scalars() -> None:
    row = {"when": datetime(2026, 6, 21, 20, 0, tzinfo=UTC), "lat": Decimal("45.07"), "n": np.int64(3)}
    assert json.loads(written([row], "jsonl")) == {"when": "2026-06-21T20:00:00+00:00", "lat": 45.07, "n": 3}


def test_jsonl_unserialisable_value_names_the_row() -> None:
    with pytest.raises(FormatError, match="row 2: value of type object cannot be written as JSON"):
        written([{"a": 1}, {"a": object()}], "jsonl")


# -- GeoJSON ---------------------------------------------------------------------------------------


def test_geojson_builds_point_features_from_lat_lon() -> None:
    doc = json.loads(written([{"id": 1, "lat": 45.07, "lon": 7.68}], "geojson"))
    assert doc == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [7.68, 45.07]},
                "properties": {"id": 1},
            }
        ],
    }


def test_geojson_accepts_numeric_strings_from_csv() -> None:
    doc = json.loads(written([{"lat": "45.07", "lon": "7.68"}], "geojson"))
    assert doc["features"][0]["geometry"]["coordinates"] == [7.68, 45.07]


def test_geojson_row_without_coordinates_gets_null_geometry() -> None:
    feature = json.loads(written([{"id": 2}], "geojson"))["features"][0]
    assert feature == {"type": "Feature", "geometry": None, "properties": {"id": 2}}


def test_geojson_unusable_coordinates_stay_in_the_properties() -> None:
    feature = json.loads(written([{"lat": "north", "lon": 7.68}], "geojson"))["features"][0]
    assert feature["geometry"] is None
    assert feature["properties"] == {"lat": "north", "lon": 7.68}


def test_geojson_other_coordinate_keys() -> None:
    doc = json.loads(
        written([{"latitude": 45.07, "longitude": 7.68}], "geojson", lat_key="latitude", lon_key="longitude")
    )
    assert doc["features"][0]["geometry"]["coordinates"] == [7.68, 45.07]


def test_geojson_of_no_rows_is_an_empty_collection() -> None:
    assert json.loads(written([], "geojson")) == {"type": "FeatureCollection", "features": []}


# -- all formats -----------------------------------------------------------------------------------


def test_write_rows_returns_the_count() -> None:
    assert write_rows(iter([{"a": 1}] * 3), io.StringIO(), "jsonl") == 3


def test_write_rows_consumes_a_generator_lazily() -> None:
    out = io.StringIO()
    seen: list[str] = []

    def rows() -> Any:
        for i in range(3):
            seen.append(out.getvalue())
            yield {"i": i}

    write_rows(rows(), out, "jsonl")
    assert seen == ["", '{"i": 0}\n', '{"i": 0}\n{"i": 1}\n']


def test_unknown_output_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        write_rows([], io.StringIO(), "xlsx")


# -- round trips -----------------------------------------------------------------------------------

keys = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8).filter(
    lambda k: k not in {"lat", "lon"}
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
text_cells = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"))


@given(st.lists(st.dictionaries(keys, json_scalars, max_size=5), max_size=5))
def test_jsonl_round_trip(rows: list[dict[str, Any]]) -> None:
    assert list(read_rows(io.StringIO(written(rows, "jsonl")), "jsonl")) == rows


@given(st.lists(text_cells, min_size=1, max_size=4, unique=True), st.data())
def test_csv_round_trip(header: list[str], data: st.DataObject) -> None:
    assume(header != [""])  # a lone empty column name writes an empty-looking header
    rows = data.draw(st.lists(st.fixed_dictionaries(dict.fromkeys(header, text_cells)), max_size=5))
    if len(header) == 1:
        rows = [r for r in rows if any(r.values())]  # one empty cell is a blank line, which is skipped
    assert list(read_rows(io.StringIO(written(rows, "csv")), "csv")) == rows


@given(
    st.lists(
        st.fixed_dictionaries(
            {"lat": st.floats(-90, 90), "lon": st.floats(-180, 180)},
            optional={"note": st.text(), "n": st.integers()},
        ),
        max_size=5,
    )
)
def test_geojson_round_trip(rows: list[dict[str, Any]]) -> None:
    back = list(read_rows(io.StringIO(written(rows, "geojson")), "geojson"))
    assert back == rows
