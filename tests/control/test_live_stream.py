"""The live stream: a change committed by any process reaches every open screen allowed to see it,
and no other. Runs the real ASGI app under uvicorn and reads the stream over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django import db
from django.test import Client

from streetlight.accounts.models import User
from streetlight.live.changes import Change
from streetlight.live.hub import Hub
from streetlight.live.models import StreamEvent
from streetlight.live.services import event_publish
from streetlight.reports.models import Report
from streetlight.routing.models import Agency, Membership
from streetlight.routing.services import report_route
from tests import servers, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_city")]
PASSWORD = "a-long-test-password"


def in_a_thread(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """`function` on a worker thread, whose database connection is closed after it (an open one
    would keep the test database from being dropped)."""

    def closing(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        finally:
            db.connection.close()

    return sync_to_async(closing)


def data(message: bytes) -> dict[str, Any]:
    """The data line of one Server-Sent Events message the hub queued for a screen."""
    return json.loads(message.decode().split("data: ", 1)[1])


@contextlib.asynccontextmanager
async def running(hub: Hub) -> AsyncIterator[Hub]:
    """The hub started (reading the table, and on PostgreSQL listening), and stopped on the way out."""
    await hub.start()
    try:
        yield hub
    finally:
        assert hub.task is not None
        hub.task.cancel()


def test_hub_hands_an_event_only_to_the_agencies_it_names() -> None:
    police = Agency.objects.get(code="police").pk
    support = Agency.objects.get(code="victim-support").pk

    async def scenario() -> tuple[Any, bool]:
        async with running(Hub()) as hub:
            mine, theirs = hub.subscribe(frozenset({police})), hub.subscribe(frozenset({support}))
            await in_a_thread(event_publish)(kind="report.routed", report_id=42, agency_ids=[police])
            event = await asyncio.wait_for(mine.queue.get(), 5)
            await asyncio.sleep(0.6)
        return event, theirs.queue.empty()

    message, other_empty = asyncio.run(scenario())
    assert data(message) == {"report": 42, "kind": "report.routed"}
    assert other_empty


@pytest.fixture
def asgi_server() -> Iterator[str]:
    from streetlight.asgi import application

    with servers.asgi_server(application) as url:
        yield url


def session_cookie(username: str, agency: str, settings: Any) -> dict[str, str]:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code=agency), role="operator")
    client = staff.signed_in(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def read_events(base: str, cookies: dict[str, str], found: list[dict[str, Any]], stop: threading.Event) -> None:
    with (
        httpx.Client(base_url=base, cookies=cookies, timeout=httpx.Timeout(10, read=2)) as client,
        client.stream("GET", "/control/stream/") as response,
    ):
        found.append({"status": response.status_code})
        try:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    found.append(json.loads(line[6:]) | {"t": time.monotonic()})
                if stop.is_set():
                    return
        except httpx.ReadTimeout:
            return


def test_a_routed_report_reaches_the_agencys_open_screen_within_a_second(
    asgi_server: str, report_json: dict[str, Any], settings: Any, client: Client
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    police_seen: list[dict[str, Any]] = []
    support_seen: list[dict[str, Any]] = []
    stop = threading.Event()
    readers = [
        threading.Thread(
            target=read_events, args=(asgi_server, session_cookie("cop", "police", settings), police_seen, stop)
        ),
        threading.Thread(
            target=read_events,
            args=(asgi_server, session_cookie("helper", "victim-support", settings), support_seen, stop),
        ),
    ]
    for reader in readers:
        reader.start()
    connected = time.monotonic() + 10
    while time.monotonic() < connected and not (police_seen and support_seen):
        time.sleep(0.05)  # both screens have their response headers: they are subscribed
    resp = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    sent = time.monotonic()
    report_route(report=report)  # the bike theft goes to the police only
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(e.get("report") == report.pk for e in police_seen):
        time.sleep(0.05)
    stop.set()
    for reader in readers:
        reader.join(timeout=10)
    assert police_seen[0]["status"] == support_seen[0]["status"] == 200
    events = [e for e in police_seen if e.get("report") == report.pk]
    assert events and events[0]["kind"] == "report.routed"
    assert events[0]["t"] - sent < 1.0
    assert not [e for e in support_seen if "report" in e]


def test_stream_refuses_users_without_an_agency(asgi_server: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = staff.signed_in(User.objects.create_user("loner", password=PASSWORD))
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    assert httpx.get(asgi_server + "/control/stream/", cookies=cookies, timeout=10).status_code == 403


def test_an_event_committed_out_of_id_order_is_not_lost() -> None:
    """Two writers: the one with the lower id commits last. The hub delivers both, each once."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: its commits are always in id order")
    police = Agency.objects.get(code="police").pk
    written, release = threading.Event(), threading.Event()
    with connection.cursor() as cursor:  # ids far above zero, as after months of events
        cursor.execute("SELECT setval(pg_get_serial_sequence('live_streamevent', 'id'), 50000)")

    def slow_writer() -> None:
        with transaction.atomic():
            event_publish(kind="report.routed", report_id=1, agency_ids=[police])  # the lower id
            written.set()
            release.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(10)
    event_publish(kind="report.routed", report_id=2, agency_ids=[police])  # commits first

    async def scenario() -> list[bytes]:
        hub = Hub()  # not started: only the explicit fetches below deliver
        mine = hub.subscribe(frozenset({police}))
        await hub._fetch()  # sees report 2, notes the lower id as a gap
        release.set()
        await sync_to_async(writer.join)(10)
        await hub._fetch()  # the gap has committed: report 1 arrives
        await hub._fetch()  # and nothing is sent twice
        return [mine.queue.get_nowait() for _ in range(mine.queue.qsize())]

    got = asyncio.run(scenario())
    assert [data(m)["report"] for m in got] == [2, 1]


def test_a_gap_left_by_a_rolled_back_transaction_is_forgotten() -> None:
    from streetlight.live.hub import GAP_SECONDS

    hub = Hub()
    hub.last_id = 10
    hub.dispatch([], now=0.0)
    assert hub.gaps == {}
    hub.dispatch([Change(pk=13, kind="report.routed", report_id=5, agency_ids=(1,))], now=1.0)
    assert set(hub.gaps) == {11, 12} and hub.last_id == 13
    hub.dispatch([], now=1.0 + GAP_SECONDS)
    assert hub.gaps == {}


def test_a_change_heard_twice_reaches_a_screen_once_and_a_late_commit_still_arrives() -> None:
    """A change may come from its NOTIFY and again from a catch-up read of the table."""
    hub = Hub()
    hub.last_id = 10
    screen = hub.subscribe(frozenset({1}))
    other = hub.subscribe(frozenset({2}))
    late, first = (Change(pk=pk, kind="report.routed", report_id=pk, agency_ids=(1,)) for pk in (11, 12))
    hub.dispatch([first], now=1.0)  # 12 committed first: 11 is a gap
    hub.dispatch([first, late], now=2.0)  # a catch-up read returns both
    hub.dispatch([late], now=2.0)  # and 11's own NOTIFY
    again = Change(pk=13, kind="report.routed", report_id=13, agency_ids=(1,))
    hub.dispatch([again, again], now=3.0)  # twice in one batch
    sent = [screen.queue.get_nowait() for _ in range(screen.queue.qsize())]
    assert [data(m)["report"] for m in sent] == [12, 11, 13]
    assert other.queue.empty() and hub.gaps == {}


def test_a_batch_is_one_write_per_screen_with_only_what_it_may_see() -> None:
    hub = Hub()
    police, both = hub.subscribe(frozenset({1})), hub.subscribe(frozenset({1, 2}))
    hub.dispatch(
        [
            Change(pk=pk, kind="report.routed", report_id=100 + pk, agency_ids=(agency,))
            for pk, agency in enumerate((1, 2, 1), 1)
        ]
    )
    assert police.queue.qsize() == both.queue.qsize() == 1
    assert police.queue.get_nowait().count(b"event: change") == 2
    assert both.queue.get_nowait().count(b"event: change") == 3


async def until_listening() -> None:
    """Until the hub's LISTEN has run on the server: a change committed from then on is notified."""
    deadline = time.monotonic() + 10
    while not await in_a_thread(servers.listening)():
        assert time.monotonic() < deadline, "the hub did not LISTEN"
        await asyncio.sleep(0.05)


def test_a_notify_carries_the_change_so_the_hub_reads_no_table() -> None:
    """On PostgreSQL the hub hands a committed change to the screens from the NOTIFY alone: here the
    event's row is gone by the commit, so only the NOTIFY's payload can bring it to the screen."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no NOTIFY: its hub reads the table")
    police = Agency.objects.get(code="police").pk

    def publish_without_a_row() -> None:
        with transaction.atomic():
            event = event_publish(kind="report.routed", report_id=77, agency_ids=[police])
            assert event is not None
            StreamEvent.objects.filter(pk=event.pk).delete()

    async def scenario() -> bytes:
        async with running(Hub()) as hub:
            screen = hub.subscribe(frozenset({police}))
            await until_listening()
            await in_a_thread(publish_without_a_row)()
            return await asyncio.wait_for(screen.queue.get(), 5)

    message = asyncio.run(scenario())
    assert data(message) == {"report": 77, "kind": "report.routed"}


def test_a_hub_that_lost_its_listen_connection_catches_up_from_the_table() -> None:
    """A change committed while the LISTEN connection was down still reaches the screen, once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no LISTEN connection")
    police = Agency.objects.get(code="police").pk

    async def scenario() -> list[bytes]:
        async with running(Hub()) as hub:
            screen = hub.subscribe(frozenset({police}))
            await until_listening()
            assert await in_a_thread(servers.end_listeners)()
            await in_a_thread(event_publish)(kind="report.routed", report_id=88, agency_ids=[police])
            got = [await asyncio.wait_for(screen.queue.get(), 10)]
            await in_a_thread(event_publish)(kind="report.routed", report_id=89, agency_ids=[police])
            got.append(await asyncio.wait_for(screen.queue.get(), 10))  # listening again
            await asyncio.sleep(0.3)
        return got + [screen.queue.get_nowait() for _ in range(screen.queue.qsize())]

    got = asyncio.run(scenario())
    assert [data(m)["report"] for m in got] == [88, 89]


def test_stream_refuses_anonymous_visitors_other_methods_and_unknown_hosts(asgi_server: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    anonymous = httpx.get(asgi_server + "/control/stream/", timeout=10)
    assert anonymous.status_code == 403
    assert "Sign in" in anonymous.text
    assert httpx.post(asgi_server + "/control/stream/", timeout=10).status_code == 405
    forged = httpx.get(asgi_server + "/control/stream/", headers={"Host": "evil.example"}, timeout=10)
    assert forged.status_code == 400


def test_a_closed_screen_is_forgotten_by_the_hub(asgi_server: str, settings: Any) -> None:
    from streetlight.live.hub import _hubs

    settings.ALLOWED_HOSTS = ["*"]
    cookies = session_cookie("watcher", "police", settings)

    def open_screens() -> int:
        return sum(len(h.subscribers) for h in list(_hubs.values()))

    with (
        httpx.Client(base_url=asgi_server, cookies=cookies, timeout=10) as client,
        client.stream("GET", "/control/stream/") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        chunks = response.iter_raw()  # kept: a dropped iterator closes the response
        assert next(chunks).startswith(b"retry: ")
        assert open_screens() == 1
    deadline = time.monotonic() + 5
    while open_screens() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert open_screens() == 0


def test_a_burst_of_events_reaches_the_screen_complete_and_in_order(asgi_server: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    cookies = session_cookie("burst", "police", settings)
    police = Agency.objects.get(code="police").pk
    found: list[dict[str, Any]] = []
    stop = threading.Event()
    reader = threading.Thread(target=read_events, args=(asgi_server, cookies, found, stop))
    reader.start()
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        time.sleep(0.05)
    for report_id in range(1000, 1050):
        event_publish(kind="report.changed", report_id=report_id, agency_ids=[police])
    while len([e for e in found if "report" in e]) < 50 and time.monotonic() < deadline + 10:
        time.sleep(0.05)
    stop.set()
    reader.join(timeout=10)
    assert [e["report"] for e in found if "report" in e] == list(range(1000, 1050))


def test_stream_refuses_a_session_without_a_second_factor(asgi_server: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.create_user("half-way", password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code="police"), role="operator")
    client = Client()
    client.force_login(user, backend=staff.MODEL_BACKEND)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    assert httpx.get(asgi_server + "/control/stream/", cookies=cookies, timeout=10).status_code == 403


def test_signing_out_ends_an_open_stream(asgi_server: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.STREETLIGHT_LIVE_SESSION_CHECK_SECONDS = 0.2
    user = User.objects.create_user("leaving", password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code="police"), role="operator")
    client = staff.signed_in(user)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    with (
        httpx.Client(base_url=asgi_server, cookies=cookies, timeout=httpx.Timeout(10, read=10)) as http,
        http.stream("GET", "/control/stream/") as stream,
    ):
        assert stream.status_code == 200
        client.post("/accounts/logout/")
        started = time.monotonic()
        for _ in stream.iter_bytes():
            pass  # heartbeats, until the server ends the stream
        assert time.monotonic() - started < 10  # ended by the server, not by the read timeout
    assert httpx.get(asgi_server + "/control/stream/", cookies=cookies, timeout=10).status_code == 403
