"""Per-process fan-out of stream events to the open screens of that process.

One background task per web process reads new StreamEvent rows — woken by PostgreSQL
LISTEN/NOTIFY, or every POLL_SECONDS on SQLite — and hands each to the subscribers whose agencies
it names. Several web processes behind a load balancer each run their own hub; the database is
the shared source, so every screen sees every change it may see, whichever process serves it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.db import connection
from django.db.models import Q

from .models import StreamEvent
from .services import CHANNEL

logger = logging.getLogger("streetlight.live")
POLL_SECONDS = 0.25
NOTIFY_TIMEOUT = 5.0
# At most one read per BATCH_SECONDS: under a burst of changes, each read takes all that arrived
# meanwhile and every screen gets them in one write. A quiet stream is not delayed: the first change
# after a pause is read at once.
BATCH_SECONDS = 0.02


KEEPALIVE = b": keep-alive\n\n"
KEEPALIVE_SECONDS = 15.0


def encode(event: StreamEvent) -> bytes:
    """The event as one Server-Sent Events message: encoded once, sent to every screen."""
    data = json.dumps({"report": event.report_id, "kind": event.kind})
    return f"id: {event.pk}\nevent: change\ndata: {data}\n\n".encode()


@dataclass(eq=False)
class Subscriber:
    agency_ids: frozenset[int]
    queue: asyncio.Queue[bytes] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))


# Ids are handed out when a transaction writes its event but become visible when it commits, so
# several processes can commit out of id order. The hub notes every id it skipped over (a gap) and
# asks for it again until it shows up, or for GAP_SECONDS (after which its transaction surely rolled
# back): an event whose transaction commits late is not lost, and nothing already sent is re-read.
GAP_SECONDS = 10.0
MAX_GAPS = 10_000
BATCH = 1000


def _events_after(last_id: int, gaps: list[int]) -> list[StreamEvent]:
    wanted = Q(pk__gt=last_id) | Q(pk__in=gaps) if gaps else Q(pk__gt=last_id)
    try:
        return list(StreamEvent.objects.filter(wanted).order_by("pk")[:BATCH])
    finally:
        connection.close()  # a hub thread must not hold a connection between polls


def _latest_id() -> int:
    try:
        return StreamEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    finally:
        connection.close()


class Hub:
    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()
        self.last_id = 0
        self.gaps: dict[int, float] = {}  # id skipped over → when it was first missed
        self.task: asyncio.Task[None] | None = None
        self.wake = asyncio.Event()

    def subscribe(self, agency_ids: frozenset[int]) -> Subscriber:
        subscriber = Subscriber(agency_ids=agency_ids)
        self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    async def start(self) -> None:
        if self.task is None or self.task.done():
            self.last_id = await sync_to_async(_latest_id, thread_sensitive=False)()
            self.task = asyncio.create_task(self._run())

    def dispatch(self, events: list[StreamEvent], now: float = 0.0) -> None:
        received = {event.pk for event in events}
        top = max(received, default=self.last_id)
        if top > self.last_id:
            # Newest first: after a long jump the ids still in flight are the ones just below the top.
            missing = (pk for pk in range(top - 1, self.last_id, -1) if pk not in received)
            for pk in missing:
                if len(self.gaps) >= MAX_GAPS:
                    break
                self.gaps[pk] = now
            self.last_id = top
        for event in events:
            self.gaps.pop(event.pk, None)
            targets = frozenset(event.agency_ids)
            message = encode(event)
            for subscriber in list(self.subscribers):
                if not subscriber.agency_ids.isdisjoint(targets):
                    with contextlib.suppress(asyncio.QueueFull):
                        subscriber.queue.put_nowait(message)
        self.gaps = {pk: at for pk, at in self.gaps.items() if now - at < GAP_SECONDS}

    def keep_alive(self) -> None:
        """One comment line to every screen, so proxies keep idle streams open (cheaper than a
        timeout per message on every stream)."""
        for subscriber in list(self.subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(KEEPALIVE)

    async def _fetch(self) -> None:
        events = await sync_to_async(_events_after, thread_sensitive=False)(self.last_id, list(self.gaps))
        self.dispatch(events, asyncio.get_running_loop().time())

    async def _run(self) -> None:
        listener = asyncio.create_task(self._listen()) if connection.vendor == "postgresql" else None
        loop = asyncio.get_running_loop()
        next_keepalive = loop.time() + KEEPALIVE_SECONDS
        try:
            while True:
                if loop.time() >= next_keepalive:
                    self.keep_alive()
                    next_keepalive = loop.time() + KEEPALIVE_SECONDS
                try:
                    await self._fetch()
                except Exception:  # keep serving screens through a database hiccup
                    logger.exception("live hub could not read events")
                    await asyncio.sleep(1)
                read_at = loop.time()
                if listener is None:
                    await asyncio.sleep(POLL_SECONDS)
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), NOTIFY_TIMEOUT)
                    self.wake.clear()
                    if (pause := read_at + BATCH_SECONDS - loop.time()) > 0:
                        await asyncio.sleep(pause)
        finally:
            if listener is not None:
                listener.cancel()

    async def _listen(self) -> None:
        """One LISTEN connection per process; each NOTIFY wakes the reader."""
        import psycopg

        settings = connection.settings_dict
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    dbname=settings["NAME"],
                    user=settings["USER"] or None,
                    password=settings["PASSWORD"] or None,
                    host=settings["HOST"] or None,
                    port=settings["PORT"] or None,
                    autocommit=True,
                )
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.wake.set()
                    async for _notify in conn.notifies():
                        self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live hub lost its LISTEN connection; reconnecting")
                await asyncio.sleep(1)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop: one per loop, forgotten with its loop."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]
