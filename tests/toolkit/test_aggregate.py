"""Counts by cell, area, category, kind, day/night, weekday, hour and window, checked against a
plain per-report reference (h3, zoneinfo and day_night called one report at a time)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.geo import AreaIndex, aggregate, day_night, h3_cell_ints
from streetlight.toolkit.geo.aggregate import factorize, utc_offsets

ROME = ZoneInfo("Europe/Rome")


def reports(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Reports around Turin over 2026, clustered so that cells repeat."""
    rng = np.random.default_rng(seed)
    lat = 45.07 + rng.normal(0, 0.01, n)
    lon = 7.68 + rng.normal(0, 0.01, n)
    times = np.datetime64("2026-01-01T00:00:00") + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    cats = rng.choice(np.array(["theft-bike", "hate-verbal", "unsafe-lighting"]), n)
    kinds = np.where(cats == "unsafe-lighting", "feeling", "crime")
    return {"lat": lat, "lon": lon, "times": times, "cats": cats, "kinds": kinds}


def as_counter(agg) -> Counter:
    return Counter({tuple(row[d] for d in agg.by): row["count"] for row in agg.to_rows()})


def test_counts_by_cell_category_and_day_night_match_one_report_at_a_time() -> None:
    r = reports(3000)
    agg = aggregate(r["lat"], r["lon"], r["times"], categories=r["cats"], by=("cell", "category", "day_night"))
    labels = day_night(r["times"], r["lat"], r["lon"])
    expected = Counter(
        (h3.latlng_to_cell(la, lo, 9), c, dn)
        for la, lo, c, dn in zip(r["lat"].tolist(), r["lon"].tolist(), r["cats"].tolist(), labels.tolist(), strict=True)
    )
    assert as_counter(agg) == expected
    assert agg.total == 3000 and agg.excluded == 0 and agg.resolution == 9


def test_weekday_hour_and_month_are_read_in_the_city_zone_across_daylight_saving() -> None:
    # Hours around both 2026 changes in Rome (29 March, 25 October) and around midnight.
    base = [
        "2026-03-29T00:30:00",
        "2026-03-29T00:59:59",
        "2026-03-29T01:00:00",
        "2026-03-29T01:30:00",
        "2026-10-25T00:30:00",
        "2026-10-25T01:00:00",
        "2026-10-25T01:30:00",
        "2026-12-31T23:30:00",
        "2026-06-30T22:00:00",
    ]
    times = np.array(base, dtype="datetime64[s]")
    n = times.size
    agg = aggregate(
        np.full(n, 45.07), np.full(n, 7.68), times, by=("weekday", "hour", "window"), window="month", tz="Europe/Rome"
    )
    local = [datetime.fromisoformat(t).replace(tzinfo=UTC).astimezone(ROME) for t in base]
    expected = Counter((d.weekday(), d.hour, f"{d.year:04d}-{d.month:02d}") for d in local)
    assert as_counter(agg) == expected


def test_utc_offsets_match_zoneinfo_for_every_second_on_a_change_day() -> None:
    secs = np.arange(
        int(datetime(2026, 10, 25, tzinfo=UTC).timestamp()), int(datetime(2026, 10, 26, tzinfo=UTC).timestamp()), 7
    )
    got = utc_offsets(secs, ROME)
    want = [int(datetime.fromtimestamp(s, UTC).astimezone(ROME).utcoffset().total_seconds()) for s in secs.tolist()]
    assert got.tolist() == want


@pytest.mark.parametrize("window", ["day", "week", "quarter", "year"])
def test_named_windows_start_where_the_calendar_says(window: str) -> None:
    times = np.array(["2026-05-13T10:00:00", "2026-05-17T22:30:00", "2026-08-02T12:00:00"], dtype="datetime64[s]")
    agg = aggregate(np.full(3, 45.07), np.full(3, 7.68), times, by=("window",), window=window, tz="Europe/Rome")
    starts = {row["window"]: row["count"] for row in agg.to_rows()}
    expected = {
        "day": {"2026-05-13": 1, "2026-05-18": 1, "2026-08-02": 1},  # 22:30 UTC is past midnight in Rome
        "week": {"2026-05-11": 1, "2026-05-18": 1, "2026-07-27": 1},  # ISO weeks start on Monday
        "quarter": {"2026-04": 2, "2026-07": 1},
        "year": {"2026": 3},
    }[window]
    assert starts == expected


def test_explicit_window_edges_leave_out_reports_outside_them_and_say_so() -> None:
    times = np.array(
        ["2026-01-05T00:00:00", "2026-01-10T00:00:00", "2026-01-20T00:00:00", "2025-12-31T00:00:00", "NaT"],
        dtype="datetime64[s]",
    )
    edges = np.array(["2026-01-01", "2026-01-10", "2026-01-15"], dtype="datetime64[s]")
    agg = aggregate(np.full(5, 45.07), np.full(5, 7.68), times, by=("window",), window=edges)
    assert as_counter(agg) == Counter({("2026-01-01T00:00:00",): 1, ("2026-01-10T00:00:00",): 1})
    assert agg.excluded == 3


def test_reports_without_a_position_time_or_category_are_counted_as_excluded() -> None:
    lat = np.array([45.07, np.nan, 45.07, 45.07, 95.0])
    lon = np.full(5, 7.68)
    times = np.array(["2026-01-01T12:00", "2026-01-01T12:00", "NaT", "2026-01-01T12:00", "2026-01-01T12:00"], "M8[s]")
    cats = np.array(["a", "a", "a", None, "a"], dtype=object)
    agg = aggregate(lat, lon, times, categories=cats, by=("cell", "category", "day_night"))
    assert agg.total == 1 and agg.excluded == 4


def test_areas_come_from_an_area_index_or_from_codes(city_index: AreaIndex) -> None:
    lat = np.array([45.05, 45.05, 45.05, 45.22, 45.5])
    lon = np.array([7.05, 7.15, 7.21, 7.02, 7.0])
    times = np.full(5, np.datetime64("2026-03-01T12:00:00"))
    agg = aggregate(lat, lon, times, by=("area",), areas=city_index)
    assert as_counter(agg) == Counter({("W",): 1, ("E",): 1, ("R",): 1, ("I",): 1})
    assert agg.excluded == 1  # outside every area
    again = aggregate(lat, lon, times, by=("area",), areas=city_index.locate_many(lat, lon))
    assert as_counter(again) == as_counter(agg)


def test_kinds_and_integer_category_codes_group_like_strings() -> None:
    r = reports(500, seed=3)
    codes, labels = factorize(r["cats"])
    by_str = aggregate(r["lat"], r["lon"], r["times"], categories=r["cats"], kinds=r["kinds"], by=("kind", "category"))
    by_int = aggregate(r["lat"], r["lon"], r["times"], categories=codes, kinds=r["kinds"], by=("kind", "category"))
    assert {(k, labels[c]): n for (k, c), n in as_counter(by_int).items()} == dict(as_counter(by_str))


def test_stored_cells_and_night_flags_give_the_same_counts() -> None:
    r = reports(800, seed=5)
    fresh = aggregate(r["lat"], r["lon"], r["times"], by=("cell", "day_night"), resolution=8)
    cells = [h3.latlng_to_cell(a, b, 8) for a, b in zip(r["lat"].tolist(), r["lon"].tolist(), strict=True)]
    night = day_night(r["times"], r["lat"], r["lon"]) == "night"
    stored = aggregate(r["lat"], r["lon"], r["times"], by=("cell", "day_night"), resolution=8, cells=cells, night=night)
    assert as_counter(stored) == as_counter(fresh)
    with pytest.raises(ValueError, match="resolution 9"):
        aggregate(r["lat"], r["lon"], r["times"], by=("cell",), resolution=9, cells=cells)


def test_weights_give_weighted_sums() -> None:
    r = reports(10)
    agg = aggregate(r["lat"], r["lon"], r["times"], by=("kind",), kinds=r["kinds"], weights=np.full(10, 0.5))
    assert agg.total == pytest.approx(5.0) and agg.counts.dtype == np.float64


def test_rollup_and_pivot_keep_the_totals() -> None:
    r = reports(2000, seed=7)
    agg = aggregate(r["lat"], r["lon"], r["times"], categories=r["cats"], by=("cell", "category", "hour"))
    by_cat = agg.rollup(["category"])
    assert dict(as_counter(by_cat)) == {(c,): n for c, n in Counter(r["cats"].tolist()).items()}
    pivot = agg.rollup(["cell", "category"]).pivot(rows=["cell"], cols=["category"])
    assert pivot.values.sum() == 2000
    assert pivot.values.shape == (len(pivot.row_labels()), 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": ("cell",), "resolution": 6}, "resolution must be one of"),
        ({"by": ("colour",)}, "distinct dimensions"),
        ({"by": ("category",)}, "needs `categories`"),
        ({"by": ("area",)}, "needs `areas`"),
        ({"by": ("window",)}, "needs `window`"),
        ({"by": ("window",), "window": "fortnight"}, "unknown window"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(kwargs: dict, message: str) -> None:
    r = reports(5)
    with pytest.raises(ValueError, match=message):
        aggregate(r["lat"], r["lon"], r["times"], **kwargs)


def test_fast_cells_equal_h3_everywhere_on_earth() -> None:
    rng = np.random.default_rng(11)
    n = 20_000
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon = rng.uniform(-180, 180, n)
    for res in (7, 8, 9, 10):
        want = [h3.str_to_int(h3.latlng_to_cell(a, b, res)) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)]
        assert h3_cell_ints(lat, lon, res).tolist() == want


def test_fast_cells_equal_h3_on_cell_edges_and_vertices_in_a_city() -> None:
    """Points on and a hair away from hexagon corners, where rounding decides the cell."""
    rng = np.random.default_rng(12)
    centre = h3.latlng_to_cell(45.07, 7.68, 9)
    corners = np.array([v for c in h3.grid_disk(centre, 10) for v in h3.cell_to_boundary(c)])
    jitter = rng.normal(0, 1e-9, (4, *corners.shape))
    pts = np.concatenate([corners, *(corners + j for j in jitter), 45.07 + rng.normal(0, 0.02, (8000, 2))])
    want = [h3.str_to_int(h3.latlng_to_cell(a, b, 9)) for a, b in pts.tolist()]
    assert h3_cell_ints(pts[:, 0], pts[:, 1], 9).tolist() == want


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["", "a", "b", "ab", "ba", "é", "a" * 30]), min_size=1, max_size=60))
def test_string_factorize_matches_sorting(values: list[str]) -> None:
    codes, labels = factorize(np.array(values))
    present = sorted({v for v in values if v})
    assert labels.tolist() == present
    assert [labels[c] if c >= 0 else "" for c in codes] == values
