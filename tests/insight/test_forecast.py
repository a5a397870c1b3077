"""The daily flashpoint forecast: made by the timer, about cells and a day, with a card that puts its
backtest beside the naive baseline; nothing about any person."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.cli import main
from streetlight.demo.seed import seed_reports
from streetlight.insight.forecasting import forecast_due
from streetlight.insight.models import Forecast

from .test_dashboard import member

pytestmark = pytest.mark.django_db


def test_the_timer_makes_one_forecast_a_day_with_its_card(capsys: pytest.CaptureFixture[str]) -> None:
    seed_reports(n=1200, seed=11)
    assert forecast_due()
    assert main(["tick"]) == 0
    forecast = Forecast.objects.get()
    assert "Flashpoint forecast for" in capsys.readouterr().out
    assert timezone.localtime(forecast.window_start).date() == timezone.localdate() + timedelta(days=1)
    assert forecast.window_end - forecast.window_start == timedelta(days=1)
    card = forecast.card
    assert card["flagged"] == len(forecast.cells) == round(0.05 * card["cells"])
    assert 0 <= card["hit_rate"] <= 1 and 0 <= card["naive_hit_rate"] <= 1
    assert card["events_scored"] > 0 and card["history_to"] <= f"{timezone.localdate():%Y-%m-%d}"
    assert [c["risk"] for c in forecast.cells] == sorted((c["risk"] for c in forecast.cells), reverse=True)
    assert set(forecast.cells[0]) == {"cell", "risk"}  # places only
    assert not forecast_due()
    main(["tick"])
    assert Forecast.objects.count() == 1  # not due again the same day


def test_analysts_see_the_flashpoints_and_the_public_sees_the_card(client: Client) -> None:
    seed_reports(n=1200, seed=12)
    main(["tick", "--forecast-now"])
    layer = json.loads(member("analyst").get("/insight/flashpoints.geojson").content)
    assert layer["features"] and all(f["geometry"]["type"] == "Polygon" for f in layer["features"])
    assert member("operator").get("/insight/flashpoints.geojson").status_code == 403
    page = member("supervisor").get("/insight/").content.decode()
    assert 'id="forecast-card"' in page and "repeating the last 60 days" in page
    assert 'id="forecast-card"' in client.get("/transparency/").content.decode()


def test_too_little_history_is_said_and_nothing_is_published(capsys: pytest.CaptureFixture[str]) -> None:
    main(["tick", "--forecast-now"])
    assert "No flashpoint forecast: only 0 crime reports" in capsys.readouterr().out
    assert not Forecast.objects.exists()
