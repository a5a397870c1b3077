"""Reading events and cutting windows: the leakage rule starts here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from streetlight.toolkit.forecast import Events, ForecastInputError, Window, read_events
from streetlight.toolkit.geo import haversine_m


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_reads_positions_and_dates_and_skips_rows_missing_either(tmp_path: Path) -> None:
    path = write(tmp_path, "X,Y,date\n1,2,\n3,4,2016-01-01\n5,,2016-01-02\n7,8,2016-01-02\n")
    loaded = read_events(path, x="X", y="Y", date="date")
    assert loaded.events.x.tolist() == [3.0, 7.0]
    assert loaded.events.t.astype(str).tolist() == ["2016-01-01T00:00:00", "2016-01-02T00:00:00"]
    assert (loaded.skipped, loaded.skipped_lines) == (2, (2, 4))
    assert loaded.events.day_resolution


def test_an_unparsable_date_stops_the_load_naming_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "X,Y,date\n1,2,2016-01-01\n3,4,01/02/2016\n")
    with pytest.raises(ForecastInputError, match=r"line 3: '01/02/2016' is not an ISO date"):
        read_events(path, x="X", y="Y", date="date")


def test_unsorted_dates_are_refused_unless_sorting_is_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, "X,Y,date\n1,2,2016-01-02\n3,4,2016-01-01\n")
    with pytest.raises(ForecastInputError, match=r"not in time order: line 3 \(2016-01-01T00:00:00\)"):
        read_events(path, x="X", y="Y", date="date")
    assert read_events(path, x="X", y="Y", date="date", sort=True).events.x.tolist() == [3.0, 1.0]


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "X,Y,when\n1,2,2016-01-01\n")
    with pytest.raises(ForecastInputError, match="no column 'date'"):
        read_events(path, x="X", y="Y", date="date")


def test_times_with_offsets_and_an_hour_column(tmp_path: Path) -> None:
    path = write(tmp_path, "lon,lat,d,h\n-95.4,29.7,2010-01-01,23\n-95.3,29.8,2010-01-02,0\n")
    loaded = read_events(path, x="lon", y="lat", date="d", hour="h", lonlat=True)
    assert loaded.events.t.astype(str).tolist() == ["2010-01-01T23:00:00", "2010-01-02T00:00:00"]
    assert loaded.projection is not None and loaded.events.lon is not None
    metres = float(np.hypot(np.diff(loaded.events.x)[0], np.diff(loaded.events.y)[0]))
    assert metres == pytest.approx(haversine_m(29.7, -95.4, 29.8, -95.3), rel=0.005)
    offset = write(tmp_path, "x,y,t\n0,0,2016-03-01T22:00:00-06:00\n")
    assert str(read_events(offset, x="x", y="y", date="t").events.t[0]) == "2016-03-02T04:00:00"


def test_before_is_strict_so_a_days_own_events_are_never_training() -> None:
    events = Events.from_arrays([0, 1, 2, 3], [0, 0, 0, 0], ["2016-03-01", "2016-03-02", "2016-03-02", "2016-03-03"])
    window = Window.day("2016-03-02")
    assert events.before(window.start).x.tolist() == [0.0]
    assert events.between(window.start, window.end).x.tolist() == [1.0, 2.0]


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(ForecastInputError, match="empty forecast window"):
        Window(np.datetime64("2016-03-02"), np.datetime64("2016-03-02"))
