"""The live stream: a change committed by any process reaches every open screen allowed to see it,
and no other. Runs the real ASGI app under uvicorn and reads the stream over HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.live.hub import Hub
from streetlight.live.services import event_publish
from streetlight.reports.models import Report
from streetlight.routing.models import Agency, Membership
from streetlight.routing.services import report_route
from tests import servers, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_city")]
PASSWORD = "a-long-test-password"


def test_hub_hands_an_event_only_to_the_agencies_it_names() -> None:
    police = Agency.objects.get(code="police").pk
    support = Agency.objects.get(code="victim-support").pk

    async def scenario() -> tuple[Any, bool]:
        hub = Hub()
        await hub.start()
        mine, theirs = hub.subscribe(frozenset({police})), hub.subscribe(frozenset({support}))
        await sync_to_async(event_publish)(kind="report.routed", report_id=42, agency_ids=[police])
        event = await asyncio.wait_for(mine.queue.get(), 5)
        await asyncio.sleep(0.6)
        assert hub.task is not None
        hub.task.cancel()
        return event, theirs.queue.empty()

    message, other_empty = asyncio.run(scenario())
    data = json.loads(message.decode().split("data: ", 1)[1])
    assert data == {"report": 42, "kind": "report.routed"}
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
    reports = [json.loads(m.decode().split("data: ", 1)[1])["report"] for m in got]
    assert reports == [2, 1]


def test_a_gap_left_by_a_rolled_back_transaction_is_forgotten() -> None:
    from streetlight.live.hub import GAP_SECONDS

    hub = Hub()
    hub.last_id = 10
    hub.dispatch([], now=0.0)
    assert hub.gaps == {}
    from streetlight.live.models import StreamEvent

    event = StreamEvent(pk=13, at=timezone.now(), kind="report.routed", report_id=5, agency_ids=[])
    hub.dispatch([event], now=1.0)
    assert set(hub.gaps) == {11, 12} and hub.last_id == 13
    hub.dispatch([], now=1.0 + GAP_SECONDS)
    assert hub.gaps == {}


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
