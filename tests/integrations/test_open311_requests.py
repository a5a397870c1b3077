"""GET requests and GET requests/{id}: public reports only, blurred places, filters and pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import h3
import pytest
from django.test import Client
from django.utils import timezone

from streetlight.reports.models import Report
from streetlight.reports.services import report_transition
from streetlight.reports.services.processing import public_location
from streetlight.toolkit.formats.open311 import parse_datetime
from streetlight.toolkit.geo import blur_point

from .helpers import both, document, make_report, post

pytestmark = pytest.mark.django_db

Point = tuple[float, float]


def ids(data: list[dict[str, Any]]) -> list[str]:
    return [item["service_request_id"] for item in data]


def test_public_report_is_listed_in_both_formats(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    data = both(client, "requests", "requests")
    assert ids(data) == [report.reference]
    item = data[0]
    assert item["service_code"] == "public-space-streetlight" and item["status"] == "open"
    assert item["agency_responsible"] == "Portavera"
    assert item["expected_datetime"] is None and item["media_url"] is None


def test_sensitive_report_never_appears(client: Client, city_point: Point) -> None:
    hidden = make_report(city_point, category="gender-violence-domestic", description="He hit me.")
    shown = make_report(city_point)
    assert ids(both(client, "requests", "requests")) == [shown.reference]
    assert hidden.reference not in ids(both(client, "requests", "requests", service_request_id=hidden.reference))
    both(client, f"requests/{hidden.reference}", "errors", 404)


def test_unpublished_category_and_opted_out_reports_are_not_listed(client: Client, city_point: Point) -> None:
    make_report(city_point, category="theft-bike", description="Bike stolen.")
    make_report(city_point, public_statistics=False)
    assert both(client, "requests", "requests") == []


def test_coordinates_are_the_cell_centre_not_the_point(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    assert report.public_lat is None  # the background task has not run: the cell is computed now
    (item,) = both(client, "requests", "requests")
    assert (item["lat"], item["long"]) != (report.lat, report.lon)
    assert report.lat is not None and report.lon is not None
    assert (item["lat"], item["long"]) == blur_point(report.lat, report.lon, resolution=8)
    assert h3.latlng_to_cell(item["lat"], item["long"], 8) == h3.latlng_to_cell(report.lat, report.lon, 8)


def test_coordinates_after_processing_are_the_stored_public_point(client: Client, city_point: Point) -> None:
    """Stored as the background task stores it (public_location); the task itself is covered in
    tests/reports/test_processing.py."""
    report = make_report(city_point)
    public_lat, public_lon = public_location(report)
    assert public_lat is not None and public_lon is not None
    Report.objects.filter(pk=report.pk).update(public_lat=public_lat, public_lon=public_lon)
    (item,) = both(client, f"requests/{report.reference}", "requests")
    assert (item["lat"], item["long"]) == (public_lat, public_lon)
    assert (item["lat"], item["long"]) != (report.lat, report.lon)


def test_address_is_the_district_never_the_reporters_words(client: Client, request_form: dict[str, Any]) -> None:
    form = {**request_form, "address_string": "Via Roma 12"}
    reference = document(post(client, **form), "created")[0]["service_request_id"]
    (item,) = both(client, f"requests/{reference}", "requests")
    report = Report.objects.select_related("area").get(reference=reference)
    assert report.area is not None and item["address"] == report.area.name


def test_description_only_for_requests_sent_through_open311(
    client: Client, city_point: Point, request_form: dict[str, Any]
) -> None:
    web = make_report(city_point, description="My neighbour Mario at number 3 saw it.")
    reference = document(post(client, **request_form), "created")[0]["service_request_id"]
    data = {item["service_request_id"]: item for item in both(client, "requests", "requests")}
    assert data[web.reference]["description"] is None
    assert data[reference]["description"] == request_form["description"]


def test_status_notes_is_the_last_public_note_and_closed_maps_to_closed(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    report_transition(report=report, to_status="in_progress", actor=None, public_note="Crew sent.")
    report_transition(report=report, to_status="resolved", actor=None, public_note="Lamp replaced.")
    report_transition(report=report, to_status="closed", actor=None)
    (item,) = both(client, f"requests/{report.reference}", "requests")
    assert item["status"] == "closed"
    assert item["status_notes"] == "Lamp replaced."
    assert parse_datetime(item["updated_datetime"]) >= parse_datetime(item["requested_datetime"])


def test_status_filter(client: Client, city_point: Point) -> None:
    open_report, closed_report = make_report(city_point), make_report(city_point)
    report_transition(report=closed_report, to_status="rejected", actor=None)
    assert ids(both(client, "requests", "requests", status="open")) == [open_report.reference]
    assert ids(both(client, "requests", "requests", status="closed")) == [closed_report.reference]
    assert len(both(client, "requests", "requests", status="open,closed")) == 2


def test_service_code_filter_takes_a_comma_list(client: Client, city_point: Point) -> None:
    light = make_report(city_point)
    pavement = make_report(city_point, category="public-space-pavement", description="Deep pothole.")
    make_report(city_point, category="nuisance-noise", description="Loud music.")
    data = both(client, "requests", "requests", service_code="public-space-streetlight,public-space-pavement")
    assert set(ids(data)) == {light.reference, pavement.reference}


def test_service_request_id_overrides_the_other_filters(client: Client, city_point: Point) -> None:
    old = make_report(city_point)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    other = make_report(city_point)
    data = both(
        client,
        "requests",
        "requests",
        service_request_id=f"{old.reference},{other.reference}",
        status="closed",
        service_code="nuisance-noise",
    )
    assert set(ids(data)) == {old.reference, other.reference}


def test_default_window_is_the_last_90_days(client: Client, city_point: Point) -> None:
    old, recent = make_report(city_point), make_report(city_point)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert ids(both(client, "requests", "requests")) == [recent.reference]


def test_date_filters_select_on_requested_datetime(client: Client, city_point: Point) -> None:
    old, recent = make_report(city_point), make_report(city_point)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    start = (timezone.now() - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=190)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    assert ids(both(client, "requests", "requests", start_date=start, end_date=end)) == [old.reference]
    assert ids(both(client, "requests", "requests", start_date=start)) == [old.reference]
    assert recent.reference in ids(both(client, "requests", "requests", end_date=timezone.now().isoformat()))


def test_newest_first_and_pages(client: Client, city_point: Point) -> None:
    reports = [make_report(city_point) for _ in range(5)]
    newest_first = [r.reference for r in reversed(reports)]
    first = client.get("/open311/v2/requests.json", {"page_size": 2})
    assert ids(document(first, "requests")) == newest_first[:2]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    second = both(client, "requests", "requests", page_size=2, page=2)
    third = client.get("/open311/v2/requests.json", {"page_size": 2, "page": 3})
    assert ids(second) == newest_first[2:4]
    assert ids(document(third, "requests")) == newest_first[4:]
    assert not third.has_header("Link")


def test_page_beyond_the_end_is_empty(client: Client, city_point: Point) -> None:
    make_report(city_point)
    assert both(client, "requests", "requests", page=9) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("start_date", "yesterday"),
        ("start_date", "2026-01-01"),
        ("end_date", "2026-01-01T00:00:00"),
        ("end_date", "2026-13-01T00:00:00Z"),
        ("page_size", "0"),
        ("page_size", "201"),
        ("page_size", "ten"),
        ("page", "-1"),
        ("status", "pending"),
        ("service_code", "a\x01b"),
    ],
)
def test_bad_parameter_is_400_naming_it(client: Client, name: str, value: str) -> None:
    errors = both(client, "requests", "errors", 400, **{name: value})
    assert [e["description"].split(":")[0] for e in errors] == [name]


def test_end_before_start_is_400(client: Client) -> None:
    errors = both(client, "requests", "errors", 400, start_date="2026-02-01T00:00:00Z", end_date="2026-01-01T00:00:00Z")
    assert errors[0]["description"].startswith("end_date: ")


def test_span_over_90_days_is_400(client: Client) -> None:
    errors = both(client, "requests", "errors", 400, start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z")
    assert errors[0]["description"].startswith("end_date: ")


def test_two_bad_parameters_give_two_errors(client: Client) -> None:
    errors = both(client, "requests", "errors", 400, status="maybe", page_size="1000")
    assert sorted(e["description"].split(":")[0] for e in errors) == ["page_size", "status"]


def test_unknown_request_id_is_404(client: Client) -> None:
    errors = both(client, "requests/SL-00000000", "errors", 404)
    assert errors[0]["description"].startswith("service_request_id: ")


def test_tokens_are_never_issued_so_any_token_is_404(client: Client) -> None:
    errors = both(client, "tokens/12345", "errors", 404)
    assert errors[0]["description"].startswith("token: ")
