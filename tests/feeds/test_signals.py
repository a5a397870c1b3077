"""Bursts of posts about one place become signals; operators dismiss them or promote them to a
report (source "feed") that is routed like any other; posts feed the insecurity index and go at
the end of their retention."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.feeds.ingest import feed_push
from streetlight.feeds.models import FeedSource, Post, Signal
from streetlight.feeds.services import posts_purge
from streetlight.insight import dashboard
from streetlight.insight.data import Filters, report_arrays
from streetlight.reports.models import Report
from streetlight.reports.tasks import process_report, triage_report
from streetlight.routing.selectors import report_list_visible_to
from tests.staff import PASSWORD, member, signed_in

from .conftest import EVERYDAY, UNSAFE_TEXTS, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> FeedSource:
    return make_source("webhook", webhook_secret="s", retention_days=7)


def push(source: FeedSource, texts: list[str], *, start: datetime, step_minutes: int = 5, prefix: str = "p") -> None:
    items = [
        {"id": f"{prefix}{i}", "text": t, "published": (start + timedelta(minutes=i * step_minutes)).isoformat()}
        for i, t in enumerate(texts)
    ]
    feed_push(source=source, body="\n".join(json.dumps(i) for i in items).encode())


@pytest.fixture
def signal(source: FeedSource) -> Signal:
    push(source, UNSAFE_TEXTS[:3], start=timezone.now() - timedelta(minutes=20))
    return Signal.objects.get()


def test_three_posts_about_one_place_in_minutes_raise_one_signal(signal: Signal, source: FeedSource) -> None:
    assert (signal.place, signal.area_code, signal.post_count, signal.status) == ("Piazza dei Tigli", "D01", 3, "open")
    assert signal.score > 3
    push(source, [UNSAFE_TEXTS[3]], start=timezone.now() - timedelta(minutes=1), prefix="q")
    signal.refresh_from_db()
    assert Signal.objects.count() == 1 and signal.post_count == 4  # the same burst goes on


def test_posts_spread_over_days_raise_no_signal(source: FeedSource) -> None:
    push(source, UNSAFE_TEXTS[:3], start=timezone.now() - timedelta(hours=20), step_minutes=300)
    assert not Signal.objects.exists()


def test_irrelevant_posts_raise_no_signal(source: FeedSource) -> None:
    push(source, [f"{EVERYDAY} at Piazza dei Tigli"] * 4, start=timezone.now() - timedelta(minutes=20))
    assert not Signal.objects.exists()


def test_operators_see_signals_with_texts_but_no_authors(signal: Signal) -> None:
    Post.objects.update(author_pseudonym="f00dcafe" * 4)
    operator = signed_in(member("police", "operator"))
    page = operator.get("/control/signals/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Piazza dei Tigli" in body and "harassing women" in body and "f00dcafe" not in body
    assert operator.get("/control/signals/open").status_code == 200
    assert 'id="signals-link"' in operator.get("/control/").content.decode()


@pytest.mark.parametrize("path", ["/control/signals/", "/control/signals/open"])
def test_analysts_and_outsiders_may_not_see_signals(signal: Signal, path: str) -> None:
    analyst = signed_in(member("police", "analyst"))
    assert analyst.get(path).status_code == 403
    assert signed_in(User.objects.create_user("nobody", password=PASSWORD)).get(path).status_code == 403
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().post(f"/control/signals/{signal.pk}/promote").status_code == 302
    assert analyst.post(f"/control/signals/{signal.pk}/dismiss").status_code == 403
    assert analyst.post(f"/control/signals/{signal.pk}/promote").status_code == 403
    signal.refresh_from_db()
    assert signal.status == "open"


def test_promote_makes_a_feed_report_in_the_routed_agencys_queue(signal: Signal) -> None:
    officer = member("police", "operator")
    resp = signed_in(officer).post(f"/control/signals/{signal.pk}/promote")
    assert resp.status_code == 302
    signal.refresh_from_db()
    report = signal.report
    assert signal.status == "promoted" and report is not None and signal.handled_by == officer
    assert report.source == "feed" and report.category.code.startswith("unsafe")
    assert (report.share_police, report.share_city, report.share_victim_support, report.may_contact) == (
        True,
        True,
        False,
        False,
    )
    assert "Piazza dei Tigli" in report.description and report.area is not None and report.area.code == "D01"
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)
    assert report_list_visible_to(user=officer).filter(pk=report.pk).exists()
    assert not report_list_visible_to(user=member("victim-support", "operator")).filter(pk=report.pk).exists()
    assert AuditEntry.objects.filter(action="signal.promoted").exists()
    again = signed_in(officer).post(f"/control/signals/{signal.pk}/promote")
    assert again.status_code == 302 and Report.objects.filter(source="feed").count() == 1


def test_dismiss_closes_the_signal(signal: Signal) -> None:
    operator = member("city-safety", "case_worker")
    assert signed_in(operator).post(f"/control/signals/{signal.pk}/dismiss").status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.handled_by) == ("dismissed", operator)
    assert AuditEntry.objects.filter(action="signal.dismissed").exists()
    assert "No open signal" in signed_in(operator).get("/control/signals/").content.decode()


def test_posts_are_purged_after_their_retention(signal: Signal, source: FeedSource) -> None:
    assert posts_purge() == 0
    assert posts_purge(now=timezone.now() + timedelta(days=8)) == 3
    assert not Post.objects.exists()
    signal.refresh_from_db()
    assert signal.posts.count() == 0 and signal.post_count == 3  # the signal keeps its numbers


def test_posts_change_the_insecurity_index_of_their_area(source: FeedSource) -> None:
    today = timezone.localdate()
    filters = Filters(since=today - timedelta(days=30), until=today)
    before = {r.code: r.insecurity for r in dashboard.area_rows(report_arrays(filters), filters)}
    assert before["D01"] is None
    push(source, UNSAFE_TEXTS * 3, start=datetime.now(UTC) - timedelta(days=3), step_minutes=60)
    after = {r.code: r.insecurity for r in dashboard.area_rows(report_arrays(filters), filters)}
    assert after["D01"] is not None and after["D01"] > 50
    assert after["D02"] is None
