"""Which published forecast the analysts see for each window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from ..models import Forecast

Horizon = Forecast.Horizon


@dataclass(frozen=True)
class ShownForecasts:
    day: Forecast | None
    weekend: Forecast | None

    def get(self, horizon: str) -> Forecast | None:
        return self.weekend if horizon == Horizon.WEEKEND else self.day


def forecasts_shown(*, now: datetime | None = None) -> ShownForecasts:
    """Tomorrow: the latest forecast made. Next weekend: the latest forecast of the soonest weekend
    that has not ended, so that during a weekend analysts still see the forecast made for it rather
    than next week's."""
    now = now or timezone.now()
    weekends = Forecast.objects.filter(horizon=Horizon.WEEKEND)
    return ShownForecasts(
        day=Forecast.objects.filter(horizon=Horizon.DAY).order_by("-created_at").first(),
        weekend=(
            weekends.filter(window_end__gt=now).order_by("window_start", "-created_at").first()
            or weekends.order_by("-created_at").first()
        ),
    )
