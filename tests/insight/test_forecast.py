"""The nightly flashpoint forecasts: made by the timer once a day for tomorrow and for the next
weekend, about cells and times, each with a card that puts its backtest beside the naive baseline;
nothing about any person."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from streetlight.cli import main
from streetlight.demo.seed import seed_reports
from streetlight.insight import selectors
from streetlight.insight.forecasting import forecast_run, forecasts_due, forecasts_shown
from streetlight.insight.forecasting.run import _backtest
from streetlight.insight.models import Forecast
from streetlight.toolkit.forecast import BacktestSpec, Events, ForecastInputError, NaiveCounts, SquareGrid
from streetlight.toolkit.forecast.context import Context

from .test_dashboard import member

pytestmark = pytest.mark.django_db


def local(day: object, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())  # type: ignore[arg-type]


def test_the_timer_makes_both_forecasts_once_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    seed_reports(n=1200, seed=11)
    assert forecasts_due() == ["weekend", "day"]
    assert main(["tick"]) == 0
    out = capsys.readouterr().out
    assert "Flashpoint forecast (day) for" in out and "Flashpoint forecast (weekend) for" in out
    day, weekend = Forecast.objects.get(horizon="day"), Forecast.objects.get(horizon="weekend")
    assert timezone.localtime(day.window_start).date() == timezone.localdate() + timedelta(days=1)
    assert timezone.localtime(day.window_end) == timezone.localtime(day.window_start) + timedelta(days=1)
    start, end = timezone.localtime(weekend.window_start), timezone.localtime(weekend.window_end)
    assert (start.weekday(), start.hour, end.weekday(), end.hour) == (4, 18, 0, 6)
    assert timezone.now() <= weekend.window_start < timezone.now() + timedelta(days=7)
    assert not forecasts_due()
    main(["tick"])
    assert Forecast.objects.count() == 2  # not due again the same day
    assert forecasts_due(now=local(timezone.localdate() + timedelta(days=1), hour=0)) == ["weekend", "day"]


def test_each_card_says_what_was_tested_and_keeps_to_places() -> None:
    seed_reports(n=1200, seed=11)
    for horizon, windows in (("day", 28), ("weekend", 8)):
        forecast = forecast_run(horizon=horizon)
        card = forecast.card
        assert card["flagged"] == len(forecast.cells) == round(0.05 * card["cells"])
        assert card["backtest"]["windows"] == windows and card["backtest"]["events"] > 0
        assert card["backtest"]["to"] < f"{timezone.localtime(forecast.window_start):%Y-%m-%d}"  # only the past
        assert set(card["scores"]) == {"prospective", "naive"}  # an empty calendar: no context model
        assert all(0 <= s["hit_rate"] <= 1 and s["pai"] >= 0 for s in card["scores"].values())
        assert card["verdict"] == "no_context" and forecast.method == "prospective"
        assert card["history_to"] <= f"{timezone.localdate():%Y-%m-%d}"
        assert [c["risk"] for c in forecast.cells] == sorted((c["risk"] for c in forecast.cells), reverse=True)
        assert all(set(c) == {"cell", "risk"} for c in forecast.cells)  # places only


def test_analysts_see_both_windows_on_the_dashboard_and_the_public_sees_tomorrow(client: Client) -> None:
    seed_reports(n=1200, seed=12)
    main(["tick", "--forecast-now"])
    analyst = member("analyst")
    for horizon in ("day", "weekend"):
        layer = analyst.get(f"/insight/flashpoints.geojson?window={horizon}").json()
        forecast = Forecast.objects.get(horizon=horizon)
        assert layer["properties"]["window"] == horizon
        assert layer["properties"]["window_start"] == forecast.window_start.isoformat()
        assert len(layer["features"]) == len(forecast.cells)
        assert all(f["geometry"]["type"] == "Polygon" for f in layer["features"])
    bad = analyst.get("/insight/flashpoints.geojson?window=month")
    assert bad.status_code == 400 and "window" in bad.json()["errors"]
    assert member("operator").get("/insight/flashpoints.geojson?window=weekend").status_code == 403
    page = member("supervisor").get("/insight/").content.decode()
    assert 'id="forecast-card-day"' in page and 'id="forecast-card-weekend"' in page
    assert 'name="flashpoints" value="weekend">' in page and 'name="flashpoints" value="day">' in page  # enabled
    assert "repeating the last 60 days" in page and "the event calendar is empty" in page
    assert selectors.transparency().forecast == Forecast.objects.get(horizon="day")
    assert 'id="forecast-card"' in client.get("/transparency/").content.decode()


def test_during_a_weekend_analysts_still_see_the_forecast_made_for_it() -> None:
    seed_reports(n=1200, seed=13)
    today = timezone.localdate()
    thursday = today - timedelta(days=(today.weekday() - 3) % 7 + 7)
    before = forecast_run(horizon="weekend", now=local(thursday))
    during = forecast_run(horizon="weekend", now=local(thursday + timedelta(days=2)))  # Saturday noon
    assert during.window_start == before.window_start + timedelta(days=7)
    assert forecasts_shown(now=local(thursday + timedelta(days=2), hour=13)).weekend == before
    assert forecasts_shown(now=local(thursday + timedelta(days=4), hour=7)).weekend == during  # Monday


def test_without_a_forecast_the_dashboard_says_so_and_offers_no_window() -> None:
    analyst = member("analyst")
    page = analyst.get("/insight/").content.decode()
    assert "No forecast for tomorrow has been made yet" in page
    assert 'value="weekend" disabled' in page and 'value="day" disabled' in page
    assert analyst.get("/insight/flashpoints.geojson?window=weekend").json()["features"] == []


def test_too_little_history_is_said_and_nothing_is_published(capsys: pytest.CaptureFixture[str]) -> None:
    main(["tick", "--forecast-now"])
    out = capsys.readouterr().out
    assert "No flashpoint forecast (day): only 0 crime reports" in out
    assert "No flashpoint forecast (weekend): only 0 crime reports" in out
    assert not Forecast.objects.exists()


def test_a_quiet_past_weekend_is_left_out_of_the_backtest_not_fatal() -> None:
    """A weekend whose only report lies just outside the grid cannot judge a method; the other
    weekends still do. Only when no weekend can is the toolkit's reason raised."""
    grid = SquareGrid.from_bounds(0, 0, 1000, 1000, 100)
    events = Events.from_arrays(
        [50, 50, 50, 5000], [50, 50, 50, 5000], ["2016-01-01", "2016-01-02", "2016-01-09", "2016-01-16"]
    )
    weekend = np.timedelta64(2, "D")

    def spec(day: str) -> BacktestSpec:
        start = np.datetime64(day)
        return BacktestSpec(start=start, end=start + weekend, window=weekend, coverages=(0.05,), curve=(0.05,))

    models = {"naive": NaiveCounts(grid)}
    scores = _backtest(events, grid, models, [spec("2016-01-09"), spec("2016-01-16")], Context())
    assert scores["naive"].hit_rate_pooled == 1.0  # judged on the weekend that had a report in the city
    with pytest.raises(ForecastInputError, match="inside the study area"):
        _backtest(events, grid, models, [spec("2016-01-16")], Context())
