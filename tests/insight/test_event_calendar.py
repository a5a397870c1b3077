"""The context calendar in the app: analysts and city administrators add, change, delete and import
events and venues and set paydays and holidays; others may not; every bad input is named on its
field; every change is audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.insight.models import CalendarRules, ContextEvent, NightlifeVenue

from .test_dashboard import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst() -> Client:
    return member("analyst")


def event_form(city_point: tuple[float, float], **changes: Any) -> dict[str, Any]:
    lat, lon = city_point
    return {
        "name": "Derby at the stadium",
        "kind": "match",
        "start": "2026-12-05T18:00",
        "end": "2026-12-05T21:00",
        "lat": lat,
        "lon": lon,
        "area": "",
        "size": "30000",
    } | changes


def errors(response: Any) -> dict[str, Any]:
    return dict(response.context["form"].errors)


def test_analysts_and_city_admins_keep_the_calendar(city_point: tuple[float, float]) -> None:
    for client in (member("analyst"), member("city_admin", "city-safety")):
        assert client.get("/insight/calendar/").status_code == 200
        response = client.post("/insight/calendar/events/new/", event_form(city_point))
        assert response.status_code == 302 and response["Location"] == "/insight/calendar/"
    assert ContextEvent.objects.count() == 2


def test_others_may_not_change_it(city_point: tuple[float, float], client: Client) -> None:
    event = ContextEvent.objects.create(
        name="Market",
        lat=city_point[0],
        lon=city_point[1],
        start=datetime(2026, 12, 5, 8, tzinfo=ZoneInfo(settings.TIME_ZONE)),
        end=datetime(2026, 12, 5, 13, tzinfo=ZoneInfo(settings.TIME_ZONE)),
        size=500,
    )
    writes = [
        "/insight/calendar/events/new/",
        f"/insight/calendar/events/{event.pk}/",
        f"/insight/calendar/events/{event.pk}/delete/",
        "/insight/calendar/venues/new/",
        "/insight/calendar/rules/",
        "/insight/calendar/import/",
    ]
    operator = member("operator")
    assert operator.get("/insight/calendar/").status_code == 403
    for path in writes:
        assert operator.get(path).status_code == 403
        assert operator.post(path, event_form(city_point, size="1")).status_code == 403
    supervisor = member("supervisor")
    page = supervisor.get("/insight/calendar/")
    assert page.status_code == 200 and "Market" in page.content.decode() and "/delete/" not in page.content.decode()
    assert supervisor.post(f"/insight/calendar/events/{event.pk}/delete/").status_code == 403
    assert client.get("/insight/calendar/").status_code == 302  # to the sign-in page
    event.refresh_from_db()
    assert event.size == 500 and not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_an_event_is_stored_in_the_citys_time_and_audited(analyst: Client, city_point: tuple[float, float]) -> None:
    analyst.post("/insight/calendar/events/new/", event_form(city_point))
    event = ContextEvent.objects.get()
    assert event.start == datetime(2026, 12, 5, 18, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert (event.kind, event.size) == ("match", 30000)
    entry = AuditEntry.objects.get(action="calendar.contextevent_created")
    assert entry.target_id == str(event.pk) and entry.actor_label == "police-analyst"
    assert "Derby at the stadium" in analyst.get("/insight/calendar/").content.decode()


def test_bad_event_input_is_named_on_its_field(analyst: Client, city_point: tuple[float, float]) -> None:
    cases = [
        ({"name": ""}, "name"),
        ({"kind": "riot"}, "kind"),
        ({"start": "next friday"}, "start"),
        ({"end": "2026-12-05T17:00"}, "end"),
        ({"lat": "", "lon": ""}, "lat"),  # no place at all
        ({"lon": ""}, "lon"),
        ({"lat": "91"}, "lat"),
        ({"lat": "0", "lon": "0"}, "lat"),  # outside the city
        ({"size": "0"}, "size"),
        ({"size": "many"}, "size"),
    ]
    for changes, field in cases:
        response = analyst.post("/insight/calendar/events/new/", event_form(city_point, **changes))
        assert response.status_code == 400, changes
        assert list(errors(response)) == [field], changes
        assert f'href="#id_{field}"' in response.content.decode()
    assert not ContextEvent.objects.exists()


def test_an_event_with_an_area_needs_no_point(analyst: Client, city_point: tuple[float, float]) -> None:
    from streetlight.reports.models import Area

    area = Area.objects.order_by("code").first()
    assert area is not None
    response = analyst.post("/insight/calendar/events/new/", event_form(city_point, lat="", lon="", area=area.pk))
    assert response.status_code == 302
    assert ContextEvent.objects.get().area == area


def test_an_event_is_changed_and_deleted(analyst: Client, city_point: tuple[float, float]) -> None:
    analyst.post("/insight/calendar/events/new/", event_form(city_point))
    event = ContextEvent.objects.get()
    form = analyst.get(f"/insight/calendar/events/{event.pk}/").content.decode()
    assert 'value="2026-12-05T18:00"' in form and 'value="Derby at the stadium"' in form
    analyst.post(f"/insight/calendar/events/{event.pk}/", event_form(city_point, size="45000"))
    event.refresh_from_db()
    assert event.size == 45000
    assert analyst.get(f"/insight/calendar/events/{event.pk}/delete/").status_code == 200  # asks first
    assert ContextEvent.objects.exists()
    assert analyst.post(f"/insight/calendar/events/{event.pk}/delete/").status_code == 302
    assert not ContextEvent.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="calendar.").order_by("pk").values_list("action", flat=True)
    ) == [
        "calendar.contextevent_created",
        "calendar.contextevent_changed",
        "calendar.contextevent_deleted",
    ]
    assert analyst.get(f"/insight/calendar/events/{event.pk}/").status_code == 404


def test_a_venue_needs_opening_hours_the_forecast_can_read(analyst: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    venue = {"name": "Bar Centrale", "lat": lat, "lon": lon, "opening_hours": "Fridays from 8 pm"}
    response = analyst.post("/insight/calendar/venues/new/", venue)
    assert response.status_code == 400 and list(errors(response)) == ["opening_hours"]
    response = analyst.post("/insight/calendar/venues/new/", venue | {"opening_hours": "Fr,Sa 20:00-03:00", "lon": ""})
    assert response.status_code == 400 and list(errors(response)) == ["lon"]
    assert (
        analyst.post("/insight/calendar/venues/new/", venue | {"opening_hours": "Fr,Sa 20:00-03:00"}).status_code == 302
    )
    assert NightlifeVenue.objects.get().opening_hours == "Fr,Sa 20:00-03:00"


def test_paydays_and_holidays_are_checked_line_by_line(analyst: Client) -> None:
    rules = {"paydays": "last working day\nsecond tuesday", "holidays_name": "Italy", "holidays": "2026-12-25"}
    response = analyst.post("/insight/calendar/rules/", rules)
    assert response.status_code == 400 and list(errors(response)) == ["paydays"]
    assert "Line 2" in errors(response)["paydays"][0]
    response = analyst.post(
        "/insight/calendar/rules/", rules | {"paydays": "day 15", "holidays": "2026-12-25\n25/12/2026"}
    )
    assert response.status_code == 400 and list(errors(response)) == ["holidays"]
    response = analyst.post("/insight/calendar/rules/", rules | {"paydays": "day 15", "holidays_name": ""})
    assert response.status_code == 400 and list(errors(response)) == ["holidays_name"]
    text = "2026-12-25  # Christmas\n2026-12-26\n\n2026-12-25"
    assert analyst.post("/insight/calendar/rules/", rules | {"paydays": "day 15", "holidays": text}).status_code == 302
    saved = CalendarRules.objects.get()
    assert (saved.payday_lines(), saved.holidays) == (["day 15"], ["2026-12-25", "2026-12-26"])
    assert "Italy: 2 dates" in analyst.get("/insight/calendar/").content.decode()


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_events_are_imported_from_csv_and_ics(analyst: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    csv_text = f"name,start,end,lon,lat,size\nConcert,2026-12-12T20:00,2026-12-12T23:30,{lon},{lat},8000\n"
    csv_text += f"Fair,2026-12-13T10:00,,{lon},{lat},\n"
    response = analyst.post(
        "/insight/calendar/import/", {"what": "events", "kind": "concert", "file": upload("events.csv", csv_text)}
    )
    assert response.status_code == 302
    concert, fair = ContextEvent.objects.order_by("start")
    assert concert.kind == fair.kind == "concert" and concert.size == 8000 and fair.size == 1
    assert concert.start == datetime(2026, 12, 12, 20, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert concert.lat == pytest.approx(lat) and concert.lon == pytest.approx(lon)
    ics = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Derby\nDTSTART:20261219T180000\nDURATION:PT3H\n"
        f"GEO:{lat};{lon}\nX-ATTENDANCE:30000\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    analyst.post("/insight/calendar/import/", {"what": "events", "kind": "match", "file": upload("fixtures.ics", ics)})
    derby = ContextEvent.objects.get(name="Derby")
    assert (derby.kind, derby.size, derby.end - derby.start) == ("match", 30000, timedelta(hours=3))
    assert AuditEntry.objects.filter(action="calendar.imported").count() == 2


def test_a_bad_file_imports_nothing_and_says_why(analyst: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    outside = f"name,start,end,lon,lat,size\nConcert,2026-12-12T20:00,,{lon},{lat},10\nAway,2026-12-12T20:00,,0,0,10\n"
    response = analyst.post(
        "/insight/calendar/import/", {"what": "events", "kind": "match", "file": upload("e.csv", outside)}
    )
    assert response.status_code == 400 and "Away is outside the city" in errors(response)["file"][0]
    unreadable = f"name,start,end,lon,lat,size\nConcert,12/12/2026,,{lon},{lat},10\n"
    response = analyst.post(
        "/insight/calendar/import/", {"what": "events", "kind": "match", "file": upload("e.csv", unreadable)}
    )
    assert response.status_code == 400 and "e.csv: line 2" in errors(response)["file"][0]
    response = analyst.post(
        "/insight/calendar/import/", {"what": "venues", "kind": "other", "file": upload("v.ics", "x")}
    )
    assert response.status_code == 400 and list(errors(response)) == ["file"]
    assert not ContextEvent.objects.exists() and not NightlifeVenue.objects.exists()


def test_venues_are_imported_from_csv(analyst: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    text = f'name,lon,lat,opening_hours\nClub Nord,{lon},{lat},"Fr,Sa 23:00-05:00"\n'
    response = analyst.post(
        "/insight/calendar/import/", {"what": "venues", "kind": "other", "file": upload("v.csv", text)}
    )
    assert response.status_code == 302
    assert NightlifeVenue.objects.get().opening_hours == "Fr,Sa 23:00-05:00"
