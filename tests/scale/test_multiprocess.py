"""Several processes on PostgreSQL, as one city runs them: two web processes and a worker, each a
real `streetlight` command. A report filed on web process A is stored and routed in one transaction,
which commits a stream event; the hub of web process B, woken by LISTEN/NOTIFY, hands it to the
control-room screens there — only to those of an agency the reporter consented to. The worker, at a
lower CPU priority, does the rest."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from streetlight.reports.models import Report
from tests import staff

from .fleet import Fleet, shared_env

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: several web processes share live events through LISTEN/NOTIFY "
        "(SQLite serves one machine; its polling is covered by tests/control/test_live_stream.py)",
    ),
    pytest.mark.django_db(transaction=True),  # the processes read what the test commits, and vice versa
    pytest.mark.usefixtures("seeded_city"),
]

# Bounds that fail a test whose event never comes, not performance figures (docs/benchmarks.md has those).
ARRIVAL_SECONDS = 20.0
SUBSCRIBE_SECONDS = 30.0
QUIET_SECONDS = 2.0  # the other agency's screen is still watched this long after the event arrived
SESSION_COOKIE = "sessionid"  # the name the processes use (STREETLIGHT_HTTPS=0)


@pytest.fixture
def fleet(tmp_path: Path, transactional_db: None) -> Iterator[Fleet]:
    """Two web processes and a worker on the test database, started together, stopped before the
    test database is flushed."""
    fleet = Fleet(env=shared_env(tmp_path), log_dir=tmp_path)
    try:
        with fleet.logs_on_failure():
            web_a, web_b = fleet.web("web-a"), fleet.web("web-b")
            worker = fleet.start("worker", "worker")
            fleet.wait_healthy(web_a)
            fleet.wait_healthy(web_b)
            fleet.wait_for_line(worker, "Starting worker")  # django-tasks-db's first line
            assert os.getpriority(os.PRIO_PROCESS, worker.popen.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
        yield fleet
    finally:
        fleet.stop()


@dataclass(eq=False)
class Screen:
    """A control-room screen: one open stream and the `change` events it received."""

    name: str
    base_url: str
    session_key: str
    status: int | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    subscribed: asyncio.Event = field(default_factory=asyncio.Event)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def watch(self) -> None:
        async with (
            httpx.AsyncClient(
                base_url=self.base_url,
                cookies={SESSION_COOKIE: self.session_key},
                timeout=httpx.Timeout(10, read=60),  # the server sends a keep-alive every 15 s
                trust_env=False,
            ) as client,
            client.stream("GET", "/control/stream/") as response,
        ):
            self.status = response.status_code
            if response.status_code != 200:
                self.subscribed.set()
                return
            kind = ""
            async for line in response.aiter_lines():
                if line.startswith("retry:"):  # sent once the hub has subscribed the screen
                    self.subscribed.set()
                elif line.startswith("event:"):
                    kind = line.partition(":")[2].strip()
                elif line.startswith("data:") and kind == "change":
                    self.events.append(json.loads(line.partition(":")[2]))
                    self.changed.set()
                elif not line:
                    kind = ""

    def open(self) -> None:
        self.task = asyncio.create_task(self.watch())

    def ended(self) -> str | None:
        """Why the stream is no longer read, or None while it is."""
        if self.task is None or not self.task.done():
            return None
        error = None if self.task.cancelled() else self.task.exception()
        return f"{self.name}: the stream ended (HTTP {self.status}): {error!r}" if error else f"{self.name}: closed"

    def reports(self) -> list[int]:
        return [event["report"] for event in self.events]

    async def event_for(self, report_id: int, seconds: float) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            for event in self.events:
                if event["report"] == report_id:
                    return event
            if reason := self.ended():
                raise AssertionError(reason)
            if (remaining := deadline - loop.time()) <= 0:
                raise AssertionError(
                    f"{self.name}: no change event for report {report_id} within {seconds:.0f} s "
                    f"(got events for {self.reports()})"
                )
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))


def report_id_of(reference: str) -> int:
    try:
        return int(Report.objects.values_list("pk", flat=True).get(reference=reference))
    finally:
        connection.close()  # a connection of a helper thread: the test database must be dropped later


@dataclass
class Outcome:
    report_id: int
    reference: str
    seen: dict[str, dict[str, Any]]  # screen name → the event it got for the report
    others: list[int]  # reports whose events reached the other agency's screen


async def file_and_watch(web_a: str, web_b: str, sessions: dict[str, str], payload: dict[str, Any]) -> Outcome:
    police_b = Screen("police screen on web-b", web_b, sessions["police"])
    police_a = Screen("police screen on web-a", web_a, sessions["police"])
    support_b = Screen("victim-support screen on web-b", web_b, sessions["victim-support"])
    screens = [police_b, police_a, support_b]
    for screen in screens:
        screen.open()
    try:
        async with asyncio.timeout(SUBSCRIBE_SECONDS):
            for screen in screens:
                await screen.subscribed.wait()
        assert [s.status for s in screens] == [200, 200, 200], [s.ended() for s in screens]
        async with httpx.AsyncClient(base_url=web_a, timeout=30, trust_env=False) as client:
            response = await client.post(
                "/api/v1/reports", json=payload, headers={"Idempotency-Key": str(uuid.uuid4())}
            )
        assert response.status_code == 201, response.text
        reference = response.json()["reference"]
        report_id = await sync_to_async(report_id_of, thread_sensitive=False)(reference)
        seen = {police_b.name: await police_b.event_for(report_id, ARRIVAL_SECONDS)}
        seen[police_a.name] = await police_a.event_for(report_id, ARRIVAL_SECONDS)
        await asyncio.sleep(QUIET_SECONDS)  # had the event reached the other screen, it would be there now
        assert support_b.ended() is None, support_b.ended()
        return Outcome(report_id=report_id, reference=reference, seen=seen, others=support_b.reports())
    finally:
        for screen in screens:
            if screen.task is not None:
                screen.task.cancel()
        await asyncio.gather(*(s.task for s in screens if s.task is not None), return_exceptions=True)


def session_key(code: str) -> str:
    """A member of the agency, signed in with password and one-time code, as the session holds it."""
    client = staff.signed_in(staff.member(code, "operator"))
    return str(client.session.session_key)


def test_a_report_filed_on_one_web_process_reaches_a_screen_on_the_other(
    fleet: Fleet, report_json: dict[str, Any]
) -> None:
    web_a, web_b = fleet.processes[0].base_url, fleet.processes[1].base_url
    sessions = {code: session_key(code) for code in ("police", "victim-support")}
    # Hate incidents go to the police and to victim support by the routing rules; this reporter
    # shares with the police only.
    payload = report_json | {
        "category": "hate-verbal",
        "description": "Two men shouted insults about my religion at me at the tram stop.",
        "consent": report_json["consent"] | {"police": True, "victim_support": False},
    }
    with fleet.logs_on_failure():
        outcome = asyncio.run(file_and_watch(web_a, web_b, sessions, payload))

        assert outcome.seen["police screen on web-b"]["kind"] == "report.routed"
        assert outcome.seen["police screen on web-a"]["kind"] == "report.routed"
        assert outcome.report_id not in outcome.others
        report = Report.objects.get(pk=outcome.report_id)
        assert set(report.assignments.values_list("agency__code", flat=True)) == {"police"}
        # Written by web-a and read here: every process encrypts and decrypts with the same keys.
        assert report.description == payload["description"]
