"""Alerts with the clock in the test's hands: overdue walks and the alert button reach the contacts
once per reason, and the control room only when the resident chose it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from streetlight.audit.models import AuditEntry
from streetlight.companion.models import Walk, WalkStatus
from streetlight.companion.services import (
    fix_check,
    walk_extend,
    walk_finish,
    walk_overdue_check,
    walk_position_add,
    walks_overdue_alert,
)
from streetlight.reports.models import Message, Report, ReportContact

from .conftest import StartWalk

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) - timedelta(hours=1)


def share(lat: float, lon: float, at: datetime) -> None:
    walk_position_add(walk=Walk.objects.get(), fix=fix_check({"lat": lat, "lon": lon, "accuracy": 15}), now=at)


def test_no_alert_before_the_grace_is_over(start_walk: StartWalk) -> None:
    start_walk(now=T0, minutes=20)
    assert walks_overdue_alert(now=T0 + timedelta(minutes=24)).walks == 0
    assert Walk.objects.get().status == WalkStatus.ACTIVE and not mail.outbox


def test_an_overdue_walk_alerts_the_contacts_but_not_the_control_room(
    start_walk: StartWalk, city_point: tuple[float, float]
) -> None:
    start_walk(now=T0, minutes=20)
    share(*city_point, at=T0 + timedelta(minutes=10))
    summary = walks_overdue_alert(now=T0 + timedelta(minutes=26))
    assert (summary.walks, summary.mailed, summary.reports) == (1, 2, 0)
    walk = Walk.objects.get()
    assert walk.status == WalkStatus.ALERTED and walk.alert_reason == "overdue"
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    body = mail.outbox[0].body
    assert f"mlat={city_point[0]:.5f}" in body and "not checked in" in body
    assert "Via dei Tigli" not in body  # the destination is not repeated in the alert
    assert not Report.objects.filter(source="walk-me-home").exists()
    assert AuditEntry.objects.get(action="walk.alerted").data == {"reason": "overdue", "contacts": 2}


def test_the_control_room_gets_a_report_when_the_resident_chose_it(
    start_walk: StartWalk, city_point: tuple[float, float]
) -> None:
    start_walk(now=T0, minutes=20, control_room=True)
    share(*city_point, at=T0 + timedelta(minutes=10))
    assert walks_overdue_alert(now=T0 + timedelta(minutes=26)).reports == 1
    report = Report.objects.get(source="walk-me-home")
    assert report.category.code == "unsafe-other"
    assert (report.share_police, report.share_city, report.share_victim_support, report.share_social_services) == (
        True,
        True,
        False,
        False,
    )
    assert report.may_contact is False and not ReportContact.objects.filter(report=report).exists()
    assert (report.lat, report.lon) == pytest.approx(city_point)
    assert "Walk me home alert" in report.description and "did not check in" in report.description
    assert "Mia" not in report.description and "Tigli" not in report.description
    assert Walk.objects.get().control_references == [report.reference]
    entry = AuditEntry.objects.get(action="walk.control_room_alerted")
    assert entry.data == {"reason": "overdue", "report": report.reference, "located": True}


def test_an_alert_without_any_position_still_reaches_the_control_room(start_walk: StartWalk) -> None:
    start_walk(now=T0, minutes=20, control_room=True)
    assert walks_overdue_alert(now=T0 + timedelta(minutes=30)).reports == 1
    report = Report.objects.get(source="walk-me-home")
    assert report.location_kind == "none" and "not known" in report.description


def test_a_position_outside_the_city_is_filed_without_a_place(start_walk: StartWalk) -> None:
    start_walk(now=T0, minutes=20, control_room=True)
    share(-33.9, 151.2, at=T0 + timedelta(minutes=5))
    assert walks_overdue_alert(now=T0 + timedelta(minutes=30)).reports == 1
    assert Report.objects.get(source="walk-me-home").location_kind == "none"


def test_a_walk_alerts_once_per_reason(start_walk: StartWalk) -> None:
    start_walk(now=T0, minutes=20, control_room=True)
    assert walks_overdue_alert(now=T0 + timedelta(minutes=26)).walks == 1
    assert walks_overdue_alert(now=T0 + timedelta(minutes=40)).walks == 0
    assert len(mail.outbox) == 2 and Report.objects.filter(source="walk-me-home").count() == 1


def test_the_alert_button_asks_first_then_alerts_at_once(client: Client, start_walk: StartWalk) -> None:
    started = start_walk(minutes=30)
    asked = client.post(f"/walk/{started.resident_token}/alert")
    assert asked.status_code == 200 and "Yes, alert them now" in asked.content.decode() and not mail.outbox
    done = client.post(f"/walk/{started.resident_token}/alert", {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"].endswith("?done=alerted")
    walk = Walk.objects.get()
    assert walk.status == WalkStatus.ALERTED and walk.alert_reason == "button"
    assert len(mail.outbox) == 2 and "pressed the alert button" in mail.outbox[0].body
    assert not Report.objects.filter(source="walk-me-home").exists()
    page = client.get(f"/walk/{started.resident_token}/?done=alerted")
    assert "Your contacts have been alerted" in page.content.decode()
    client.post(f"/walk/{started.resident_token}/alert", {"confirm": "yes"})
    assert len(mail.outbox) == 2  # a second tap sends nothing more
    assert walks_overdue_alert(now=timezone.now() + timedelta(hours=1)).walks == 0


def test_the_button_reaches_the_control_room_when_chosen(client: Client, start_walk: StartWalk) -> None:
    started = start_walk(minutes=30, control_room=True)
    client.post(f"/walk/{started.resident_token}/alert", {"confirm": "yes"})
    report = Report.objects.get(source="walk-me-home")
    assert "pressed the alert button" in report.description


def test_checking_in_after_an_alert_reassures_contacts_and_responders(client: Client, start_walk: StartWalk) -> None:
    started = start_walk(minutes=30, control_room=True)
    client.post(f"/walk/{started.resident_token}/alert", {"confirm": "yes"})
    mail.outbox.clear()
    client.post(f"/walk/{started.resident_token}/arrived")
    assert len(mail.outbox) == 2 and "safe" in mail.outbox[0].subject
    report = Report.objects.get(source="walk-me-home")
    assert any("checked in" in m.body for m in Message.objects.filter(report=report))  # bodies are encrypted


def test_a_normal_arrival_sends_no_e_mail(start_walk: StartWalk) -> None:
    start_walk(minutes=30)
    walk_finish(walk=Walk.objects.get(), arrived=True)
    assert not mail.outbox


def test_each_walk_has_a_timer_that_stays_quiet_after_an_extension(
    start_walk: StartWalk, django_capture_on_commit_callbacks: Any
) -> None:
    """The worker alerts on time without waiting for the next tick; an extension re-arms the timer."""
    with django_capture_on_commit_callbacks(execute=True):
        walk = start_walk(now=T0, minutes=20).walk
    timers = DBTaskResult.objects.filter(task_path="streetlight.companion.tasks.walk_overdue_timer")
    assert list(timers.values_list("run_after", flat=True)) == [T0 + timedelta(minutes=25, seconds=1)]
    with django_capture_on_commit_callbacks(execute=True):
        walk_extend(walk=walk, now=T0 + timedelta(minutes=22))  # expected arrival becomes T0 + 32 min
    assert timers.count() == 2
    assert not walk_overdue_check(walk_id=walk.pk, now=T0 + timedelta(minutes=26)).fired  # the first timer
    assert Walk.objects.get().status == WalkStatus.ACTIVE and not mail.outbox
    latest = timers.order_by("-run_after").first()
    assert latest is not None and latest.run_after == T0 + timedelta(minutes=37, seconds=1)
    latest.task.call(**latest.args_kwargs["kwargs"])  # as the worker runs it once due (now is past it)
    assert Walk.objects.get().status == WalkStatus.ALERTED and len(mail.outbox) == 2
