"""Positions and the other personal data are gone shortly after a walk; an anonymous stub keeps old
links answering 410 for a while, then goes too. The tick runs both duties and prints the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.audit.models import AuditEntry
from streetlight.cli import main
from streetlight.companion.models import Position, TrustedContact, Walk, WalkStatus
from streetlight.companion.services import fix_check, walk_alert, walk_finish, walk_position_add, walks_purge

from .conftest import StartWalk

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) - timedelta(days=2)


def walk_with_positions(start_walk: StartWalk, n: int = 3) -> Walk:
    start_walk(now=T0, minutes=30)
    walk = Walk.objects.get()
    for i in range(n):
        walk_position_add(walk=walk, fix=fix_check({"lat": 45.0 + i / 1000, "lon": 7.6}), now=T0 + timedelta(minutes=i))
    return walk


def test_positions_gone_after_the_walk_plus_grace(client: Client, start_walk: StartWalk) -> None:
    walk = walk_with_positions(start_walk)
    walk_finish(walk=walk, arrived=True, now=T0 + timedelta(minutes=20))
    assert walks_purge(now=T0 + timedelta(minutes=34)).purged == 0
    assert Position.objects.count() == 3  # within the grace: a contact opening the link late sees "arrived"
    summary = walks_purge(now=T0 + timedelta(minutes=36))
    assert (summary.purged, summary.positions) == (1, 3)
    assert not Position.objects.exists() and not TrustedContact.objects.exists()
    stub = Walk.objects.get()
    assert (stub.destination, stub.resident_name, stub.destination_lat) == ("", "", None)
    assert stub.status == WalkStatus.ARRIVED and stub.purged_at is not None
    entry = AuditEntry.objects.get(action="walk.purged")
    assert entry.data == {"ended": 0, "purged": 1, "positions": 3, "stubs": 0}


def test_a_purged_walk_links_answer_410_then_404_after_the_stub_is_gone(start_walk: StartWalk, client: Client) -> None:
    started = start_walk(now=T0, minutes=30)
    walk_finish(walk=Walk.objects.get(), arrived=False, now=T0 + timedelta(minutes=5))
    walks_purge(now=T0 + timedelta(minutes=30))
    assert client.get(f"/walk/{started.resident_token}/").status_code == 410
    assert client.get(f"/walk/watch/{started.watch_token}/state").status_code == 410
    assert walks_purge(now=T0 + timedelta(days=31)).stubs == 1
    assert client.get(f"/walk/{started.resident_token}/").status_code == 404


def test_an_alerted_walk_keeps_its_positions_until_the_limit(start_walk: StartWalk) -> None:
    walk = walk_with_positions(start_walk)
    walk_alert(walk_id=walk.pk, reason="button", now=T0 + timedelta(minutes=10))
    assert walks_purge(now=T0 + timedelta(hours=12)).purged == 0
    assert Position.objects.count() == 3
    summary = walks_purge(now=T0 + timedelta(hours=24, minutes=11))
    assert summary.ended == 1 and Walk.objects.get().status == WalkStatus.ENDED
    assert walks_purge(now=T0 + timedelta(hours=24, minutes=30)).positions == 3


def test_an_active_walk_is_ended_after_the_longest_walk(start_walk: StartWalk) -> None:
    walk_with_positions(start_walk)
    assert walks_purge(now=T0 + timedelta(hours=5)).ended == 0
    assert walks_purge(now=T0 + timedelta(hours=6, minutes=1)).ended == 1
    assert walks_purge(now=T0 + timedelta(hours=6, minutes=20)).purged == 1
    assert not Position.objects.exists()


def test_the_tick_alerts_and_purges_and_prints_counts(
    start_walk: StartWalk, capsys: pytest.CaptureFixture[str]
) -> None:
    now = timezone.now()
    start_walk(now=now - timedelta(minutes=40), minutes=20)  # overdue by 20 minutes
    start_walk(now=now - timedelta(hours=2), minutes=20, emails=("cleo@example.org",))
    walk_finish(walk=Walk.objects.order_by("pk")[1], arrived=True, now=now - timedelta(hours=1))
    assert main(["tick"]) == 0
    out = capsys.readouterr().out
    assert "Walk me home: alerted 1 overdue walks (2 e-mails, 0 failed, 0 control-room reports)" in out
    assert "purged 1 finished walks (0 positions)" in out
