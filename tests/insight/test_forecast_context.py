"""The context calendar reaches the toolkit's context model: an event, a venue, payday rules and
holidays entered in the app become the model's input, the context model is then backtested beside
the plain one, and the card tells honestly which one won."""

from __future__ import annotations

from datetime import date, timedelta

import h3
import numpy as np
import pytest
from django.utils import timezone

from streetlight.demo.seed import seed_reports
from streetlight.insight.forecasting import calendar, forecast_run
from streetlight.insight.forecasting.inputs import (
    HISTORY_DAYS,
    ContextInputs,
    city_grid,
    crime_history,
    forecast_context,
)
from streetlight.insight.forecasting.windows import next_weekend, wall_clock
from streetlight.insight.models import ContextEvent, NightlifeVenue
from streetlight.reports.models import Area
from tests import staff

from .test_dashboard import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> None:
    seed_reports(n=800, seed=21)


def test_an_event_in_the_calendar_becomes_the_context_models_input(
    history: None, city_point: tuple[float, float]
) -> None:
    now = timezone.now()
    weekend = next_weekend(now)
    crimes = crime_history(until=now)
    grid = city_grid(crimes.projection)

    def context() -> ContextInputs:
        return forecast_context(
            projection=crimes.projection, since=now - timedelta(days=HISTORY_DAYS), until=weekend.end
        )

    empty = context()
    assert not empty.present and empty.context.events == ()
    lat, lon = city_point
    derby = ContextEvent(
        name="Derby at the stadium",
        kind="match",
        lat=lat,
        lon=lon,
        start=weekend.start + timedelta(hours=1),
        end=weekend.start + timedelta(hours=4),
        size=30000,
    )
    calendar.calendar_entry_save(entry=derby, actor=staff.member("police", "analyst"))
    inputs = context()
    assert inputs.present and inputs.events == 1
    (event,) = inputs.context.events
    x, y = crimes.projection.forward(lon, lat)
    assert (event.x, event.y, event.size) == (pytest.approx(float(x)), pytest.approx(float(y)), 30000)
    assert (event.start, event.end) == (wall_clock(derby.start), wall_clock(derby.end))
    exposure = inputs.context.exposures(grid, weekend.window())["public_events"]
    assert grid.cells[int(np.argmax(exposure))] == h3.latlng_to_cell(lat, lon, 9)


def test_an_event_over_an_area_spreads_its_crowd_over_the_areas_cells(history: None) -> None:
    now = timezone.now()
    area = Area.objects.order_by("code").first()
    assert area is not None
    ContextEvent.objects.create(
        name="Street festival",
        kind="festival",
        area=area,
        start=now + timedelta(days=1),
        end=now + timedelta(days=2),
        size=5000,
    )
    crimes = crime_history(until=now)
    inputs = forecast_context(
        projection=crimes.projection, since=now - timedelta(days=365), until=now + timedelta(days=7)
    )
    parts = inputs.context.events
    assert inputs.events == 1 and len(parts) == len(h3.geo_to_cells(area.geometry, 9)) > 1
    assert sum(p.size for p in parts) == pytest.approx(5000)


def test_events_outside_the_history_and_the_window_are_left_out(history: None, city_point: tuple[float, float]) -> None:
    now = timezone.now()
    lat, lon = city_point
    long_ago = now - timedelta(days=800)
    ContextEvent.objects.create(
        name="Old fair", lat=lat, lon=lon, start=long_ago, end=long_ago + timedelta(hours=5), size=100
    )
    crimes = crime_history(until=now)
    inputs = forecast_context(
        projection=crimes.projection, since=now - timedelta(days=365), until=now + timedelta(days=2)
    )
    assert inputs.events == 0 and not inputs.present


def test_venues_paydays_and_holidays_reach_the_model(history: None, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    NightlifeVenue.objects.create(name="Bar Centrale", lat=lat, lon=lon, opening_hours="Fr,Sa 20:00-03:00")
    calendar.calendar_rules_save(
        paydays=["last working day"],
        holidays_name="Italy",
        holidays=[date(2026, 12, 25)],
        actor=staff.member("police", "analyst"),
    )
    now = timezone.now()
    crimes = crime_history(until=now)
    inputs = forecast_context(
        projection=crimes.projection, since=now - timedelta(days=365), until=now + timedelta(days=7)
    )
    (venue,) = inputs.context.venues
    assert venue.hours.text == "Fr,Sa 20:00-03:00"
    assert [r.kind for r in inputs.context.paydays] == ["last_working"]
    assert inputs.context.holidays == frozenset({date(2026, 12, 25)})
    assert inputs.card() == {
        "events": 0,
        "venues": 1,
        "paydays": ["last working day"],
        "holidays_name": "Italy",
        "holidays": 1,
    }


def test_the_forecast_tries_the_context_model_and_publishes_the_better_one(
    history: None, city_point: tuple[float, float]
) -> None:
    lat, lon = city_point
    now = timezone.now()
    for week in range(30):  # a weekly market, past and coming
        start = now - timedelta(days=7 * week - 2)
        ContextEvent.objects.create(
            name="Market", kind="market", lat=lat, lon=lon, start=start, end=start + timedelta(hours=6), size=2000
        )
    forecast = forecast_run(horizon="weekend")
    card = forecast.card
    assert card["context"]["events"] >= 29
    scores = card["scores"]
    assert set(scores) == {"prospective", "context", "naive"}
    context_won = scores["context"]["hit_rate"] > scores["prospective"]["hit_rate"]
    assert forecast.method == ("context" if context_won else "prospective")
    assert card["verdict"] == ("context_better" if context_won else "context_not_better")
    page = member("analyst").get("/insight/").content.decode()
    said = "caught more crimes than the plain one" if context_won else "did not beat the plain one"
    assert said in page and f"{card['context']['events']} public events" in page
