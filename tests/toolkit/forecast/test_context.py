"""Context: opening hours, public events (CSV and ICS), calendar features, and the context model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from streetlight.toolkit.forecast import Events, ForecastInputError, LocalProjection, SquareGrid, Window
from streetlight.toolkit.forecast.calendar import PaydayRule
from streetlight.toolkit.forecast.context import Context, OpeningHours, PublicEvent, read_public_events, read_venues
from streetlight.toolkit.forecast.context_model import ContextModel, poisson_regression

T = np.datetime64


def test_opening_hours_past_midnight_and_days_off() -> None:
    hours = OpeningHours.parse("Mo-Th 18:00-02:00; Fr,Sa 18:00-04:00; Su off")
    # Friday 2016-03-04 20:00 to Saturday 03:00: open all 7 hours.
    assert hours.minutes_open(T("2016-03-04T20:00:00"), T("2016-03-05T03:00:00")) == 7 * 60
    # Sunday evening: closed; Monday 01:00-03:00: Sunday is off, so nothing spills into Monday.
    assert hours.minutes_open(T("2016-03-06T18:00:00"), T("2016-03-07T03:00:00")) == 0
    # A whole week.
    assert hours.minutes_open(T("2016-03-07T00:00:00"), T("2016-03-14T00:00:00")) == (4 * 8 + 2 * 10) * 60
    with pytest.raises(ForecastInputError, match="cannot read"):
        OpeningHours.parse("evenings")


def test_public_events_from_csv_and_ics(tmp_path: Path) -> None:
    csv_path = tmp_path / "events.csv"
    csv_path.write_text("name,start,end,x,y,size\nDerby,2016-03-05T15:00,2016-03-05T17:00,500,500,40000\n", "utf-8")
    (event,) = read_public_events(csv_path)
    assert (event.name, event.size, event.x) == ("Derby", 40000.0, 500.0)
    ics = tmp_path / "events.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Night\r\n  market\r\nDTSTART:20160305T180000\r\n"
        "DURATION:PT4H\r\nGEO:45.07;7.68\r\nX-SIZE:3000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    projection = LocalProjection(7.68, 45.07)
    (market,) = read_public_events(ics, projection)
    assert market.name == "Night market" and market.size == 3000.0
    assert (market.start, market.end) == (T("2016-03-05T18:00:00"), T("2016-03-05T22:00:00"))
    assert (market.x, market.y) == pytest.approx((0.0, 0.0))
    with pytest.raises(ForecastInputError, match="lon/lat given but the crime data are in projected x/y"):
        read_public_events(ics)


def test_venues_need_a_position(tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text("name,opening_hours\nBar,Fr 20:00-02:00\n", encoding="utf-8")
    with pytest.raises(ForecastInputError, match="line 2: no position"):
        read_venues(path)


def test_calendar_features_of_a_window() -> None:
    context = Context(holidays=frozenset({date(2016, 3, 28)}), paydays=(PaydayRule.parse("last working day"),))
    features = context.calendar(Window.day("2016-03-31"))  # a Thursday, the last working day
    assert features["weekday_3"] == 1.0 and features["payday"] == 1.0 and features["holiday"] == 0.0
    night = context.calendar(Window(T("2016-03-28T18:00:00"), T("2016-03-29T00:00:00")))
    assert night["holiday"] == 1.0 and night["hours_18"] == 1.0 and night["hours_00"] == 0.0


def test_poisson_regression_recovers_a_weekday_effect() -> None:
    rng = np.random.default_rng(0)
    weekend = (np.arange(2000) % 7 >= 5).astype(float)
    y = rng.poisson(np.exp(3.0 + 0.5 * weekend))
    beta = poisson_regression(weekend[:, None], y, ridge=0.0)
    assert beta == pytest.approx([3.0, 0.5], abs=0.03)


def test_the_context_model_learns_that_crowds_raise_risk_near_them() -> None:
    # Background: one event a day somewhere on a 2 km square; on match days, 5 more at the stadium.
    rng = np.random.default_rng(1)
    grid = SquareGrid.from_bounds(0, 0, 2000, 2000, 100)
    days = np.arange(T("2016-01-01"), T("2016-05-01"))
    matches = [d for i, d in enumerate(days) if i % 7 == 5]
    xs, ys, ts = [], [], []
    for d in days:
        xs.append(rng.uniform(0, 2000))
        ys.append(rng.uniform(0, 2000))
        ts.append(d)
        if d in matches:
            xs += list(rng.normal(1500, 50, 5))
            ys += list(rng.normal(500, 50, 5))
            ts += [d] * 5
    events = Events.from_arrays(xs, ys, np.array(ts, dtype="datetime64[s]"), sort=True)
    context = Context(
        events=tuple(
            PublicEvent(
                "match", d.astype("datetime64[s]"), d.astype("datetime64[s]") + np.timedelta64(1, "D"), 1500, 500, 1.0
            )
            for d in [*matches, T("2016-05-01")]
        )
    )
    model = ContextModel(grid, profile_weight=0.0).fit(events, context)
    assert model.beta_["public_events"] > 1.0
    stadium = int(grid.locate(Events.from_arrays([1500], [500], ["2016-05-01"]))[0])
    quiet = model.predict(Window.day("2016-05-02"))
    match = model.predict(Window.day("2016-05-01"))
    assert match[stadium] > 2 * quiet[stadium]
