"""mySociety's servicerequestupdates: one update per status change, as FixMyStreet reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.reports.models import StatusChange
from streetlight.reports.services import report_transition
from streetlight.toolkit.formats.open311 import parse_datetime

from .helpers import both, make_report

pytestmark = pytest.mark.django_db

Point = tuple[float, float]


def test_a_status_change_is_an_update_in_both_formats(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    change = report_transition(report=report, to_status="resolved", actor=None, public_note="Lamp replaced.")
    data = both(client, "servicerequestupdates", "updates")
    assert data[-1] == {
        "update_id": str(change.pk),
        "service_request_id": report.reference,
        "status": "closed",
        "updated_datetime": data[-1]["updated_datetime"],
        "description": "Lamp replaced.",
        "media_url": "",
    }
    assert abs(parse_datetime(data[-1]["updated_datetime"]) - change.at) < timedelta(seconds=1)


def test_every_change_is_listed_oldest_first(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    report_transition(report=report, to_status="in_progress", actor=None)
    report_transition(report=report, to_status="resolved", actor=None)
    data = both(client, "servicerequestupdates", "updates")
    expected = StatusChange.objects.filter(report=report).order_by("at", "pk")
    assert [u["update_id"] for u in data] == [str(c.pk) for c in expected]
    assert [u["status"] for u in data] == ["open", "open", "closed"]


def test_changes_of_sensitive_or_opted_out_reports_are_not_listed(client: Client, city_point: Point) -> None:
    hidden = make_report(city_point, category="hate-physical", description="Attacked for who I am.")
    opted_out = make_report(city_point, public_statistics=False)
    for report in (hidden, opted_out):
        report_transition(report=report, to_status="in_progress", actor=None, public_note="On it.")
    assert both(client, "servicerequestupdates", "updates") == []


def test_window_selects_by_time_of_change(client: Client, city_point: Point) -> None:
    report = make_report(city_point)
    old = report_transition(report=report, to_status="in_progress", actor=None)
    StatusChange.objects.filter(report=report).update(at=timezone.now() - timedelta(days=10))
    recent = report_transition(report=report, to_status="resolved", actor=None)
    start = (timezone.now() - timedelta(hours=2)).isoformat()
    end = (timezone.now() + timedelta(minutes=1)).isoformat()
    data = both(client, "servicerequestupdates", "updates", start_date=start, end_date=end, api_key="")
    assert [u["update_id"] for u in data] == [str(recent.pk)]
    assert str(old.pk) not in [u["update_id"] for u in data]


def test_valid_api_key_is_accepted_and_a_wrong_one_refused(client: Client, api_key: str) -> None:
    both(client, "servicerequestupdates", "updates", api_key=api_key)
    errors = both(client, "servicerequestupdates", "errors", 403, api_key="guess")
    assert errors[0]["description"].startswith("api_key: ")


def test_bad_start_date_is_400(client: Client) -> None:
    errors = both(client, "servicerequestupdates", "errors", 400, start_date="last week")
    assert errors[0]["description"].startswith("start_date: ")
