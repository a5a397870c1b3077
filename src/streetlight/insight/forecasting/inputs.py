"""What a platform forecast learns from, as the toolkit's plain structures: the city's crime reports
with a place (wall-clock times, metres around the city), its H3 cells, and the context calendar
(public events, nightlife venues, paydays, public holidays) as a toolkit `Context`.

Every input is a place and a time: a report gives only where and when, an event only where, when
and how many people are expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import h3
import numpy as np
from shapely.geometry import shape
from shapely.ops import unary_union

from streetlight.reports.models import Area
from streetlight.toolkit.forecast import (
    Context,
    Events,
    ForecastInputError,
    H3Grid,
    LocalProjection,
    OpeningHours,
    PaydayRule,
    PublicEvent,
    Venue,
)

from ..data import countable
from ..models import CalendarRules, ContextEvent, NightlifeVenue
from .windows import wall_clock

RESOLUTION = 9
HISTORY_DAYS = 365
MIN_REPORTS = 20


@dataclass(frozen=True)
class CrimeHistory:
    events: Events  # in wall-clock time order
    projection: LocalProjection


def crime_history(*, until: datetime) -> CrimeHistory:
    """The year of countable crime reports with a place before `until`; too few stop the forecast."""
    rows = list(
        countable()
        .filter(
            kind="crime",
            lat__isnull=False,
            occurred_from__lt=until,
            occurred_from__gte=until - timedelta(days=HISTORY_DAYS),
        )
        .values_list("lon", "lat", "occurred_from")
    )
    if len(rows) < MIN_REPORTS:
        raise ForecastInputError(f"only {len(rows)} crime reports with a place in the last year: too few to forecast")
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    when = np.array([wall_clock(r[2]) for r in rows], dtype="datetime64[s]")
    order = np.argsort(when, kind="stable")  # the clock goes back an hour each autumn: sort on it
    projection = LocalProjection.around(lon, lat)
    x, y = projection.forward(lon[order], lat[order])
    return CrimeHistory(Events(x, y, when[order], lon[order], lat[order]), projection)


def city_grid(projection: LocalProjection) -> H3Grid:
    boundary = unary_union([shape(a.geometry) for a in Area.objects.all()])
    return H3Grid.from_boundary(boundary, RESOLUTION, projection)


@dataclass(frozen=True)
class ContextInputs:
    """The calendar as the toolkit reads it, and what the forecast card says about it."""

    context: Context
    events: int
    venues: int
    paydays: tuple[str, ...]
    holidays_name: str
    holidays: int

    @property
    def present(self) -> bool:
        """Anything beyond the crimes themselves: only then is the context model tried."""
        return bool(self.events or self.venues or self.paydays or self.holidays)

    def card(self) -> dict[str, Any]:
        if not self.present:
            return {}
        return {
            "events": self.events,
            "venues": self.venues,
            "paydays": list(self.paydays),
            "holidays_name": self.holidays_name,
            "holidays": self.holidays,
        }


def _public_events(event: ContextEvent, projection: LocalProjection) -> list[PublicEvent]:
    """A point places the event; an area without one spreads its crowd evenly over the area's cells,
    since the toolkit's exposure is a kernel around points."""
    start, end = wall_clock(event.start), wall_clock(event.end)
    if event.lat is not None and event.lon is not None:
        points = [(event.lat, event.lon)]
    else:
        assert event.area is not None  # the model's constraint: a point or an area
        cells = sorted(h3.geo_to_cells(event.area.geometry, RESOLUTION))
        if cells:
            points = [h3.cell_to_latlng(c) for c in cells]
        else:  # an area smaller than one cell
            inside = shape(event.area.geometry).representative_point()
            points = [(inside.y, inside.x)]
    lat, lon = np.array(points, dtype=float).T
    x, y = projection.forward(lon, lat)
    share = event.size / len(points)
    return [PublicEvent(event.name, start, end, float(a), float(b), share) for a, b in zip(x, y, strict=True)]


def forecast_context(*, projection: LocalProjection, since: datetime, until: datetime) -> ContextInputs:
    """The calendar between `since` (the start of the history) and `until` (the end of the forecast
    window): past events teach the model what crowds did, coming ones are what it forecasts."""
    public: list[PublicEvent] = []
    events = ContextEvent.objects.filter(end__gt=since, start__lt=until).select_related("area")
    for event in events:
        public += _public_events(event, projection)
    venues = []
    for venue in NightlifeVenue.objects.all():
        x, y = projection.forward(venue.lon, venue.lat)
        venues.append(Venue(venue.name, float(x), float(y), OpeningHours.parse(venue.opening_hours)))
    rules = CalendarRules.objects.first()
    paydays = tuple(rules.payday_lines()) if rules else ()
    holidays = frozenset(date.fromisoformat(d) for d in rules.holidays) if rules else frozenset()
    context = Context(
        holidays=holidays,
        paydays=tuple(PaydayRule.parse(line) for line in paydays),
        events=tuple(public),
        venues=tuple(venues),
    )
    return ContextInputs(
        context=context,
        events=len(events),
        venues=len(venues),
        paydays=paydays,
        holidays_name=rules.holidays_name if rules else "",
        holidays=len(holidays),
    )
