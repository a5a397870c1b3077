"""Per-process fan-out of stream events to the open screens of that process.

On PostgreSQL each web process LISTENs on one connection, and every committed change arrives as a
NOTIFY that carries the change itself, so handing it to the screens costs no query. The table is
read only to catch up: when the hub starts listening (again), and after NOTIFY_TIMEOUT quiet seconds,
to be sure nothing was missed. On SQLite, one web process, the hub reads the table every
POLL_SECONDS. Several web processes behind a load balancer each run their own hub; the database is
the shared source, so every screen sees every change it may see, whichever process serves it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.db.models import Q

from .changes import Change
from .models import StreamEvent
from .services import CHANNEL

logger = logging.getLogger("streetlight.live")
POLL_SECONDS = 0.25
NOTIFY_TIMEOUT = 5.0
# At most one hand-out per BATCH_SECONDS: under a burst of changes, each screen gets all that arrived
# meanwhile in one write. A quiet stream is not delayed: the first change after a pause goes at once.
BATCH_SECONDS = 0.02


KEEPALIVE = b": keep-alive\n\n"
KEEPALIVE_SECONDS = 15.0


@dataclass(eq=False)
class Subscriber:
    agency_ids: frozenset[int]
    queue: asyncio.Queue[bytes] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))


# Ids are handed out when a transaction writes its event but become visible when it commits, so
# several processes can commit out of id order. The hub notes every id it skipped over (a gap) and
# takes it when it shows up, for GAP_SECONDS (after which its transaction surely rolled back): an
# event whose transaction commits late is not lost, and nothing already sent is sent again.
GAP_SECONDS = 10.0
MAX_GAPS = 10_000
BATCH = 1000


def _events_after(last_id: int, gaps: list[int]) -> list[Change]:
    wanted = Q(pk__gt=last_id) | Q(pk__in=gaps) if gaps else Q(pk__gt=last_id)
    try:
        rows = StreamEvent.objects.filter(wanted).order_by("pk").values_list("pk", "kind", "report_id", "agency_ids")
        return [Change(pk, kind, report_id, tuple(agencies)) for pk, kind, report_id, agencies in rows[:BATCH]]
    finally:
        connection.close()  # a hub thread must not hold a connection between reads


def _latest_id() -> int:
    try:
        return StreamEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    finally:
        connection.close()


class Hub:
    def __init__(self) -> None:
        # Screens grouped by the agencies they follow: a batch is encoded once per group.
        self.audiences: dict[frozenset[int], set[Subscriber]] = {}
        self.last_id = 0
        self.gaps: dict[int, float] = {}  # id skipped over → when it was first missed (oldest first)
        self.task: asyncio.Task[None] | None = None
        self.heard_at = 0.0  # when the LISTEN connection last delivered a change
        self._pending: list[Change] = []
        self._flush: asyncio.TimerHandle | None = None
        self._flushed_at = float("-inf")

    @property
    def subscribers(self) -> list[Subscriber]:
        return [subscriber for group in self.audiences.values() for subscriber in group]

    def subscribe(self, agency_ids: frozenset[int]) -> Subscriber:
        subscriber = Subscriber(agency_ids=agency_ids)
        self.audiences.setdefault(agency_ids, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self.audiences.get(subscriber.agency_ids, set())
        group.discard(subscriber)
        if not group:
            self.audiences.pop(subscriber.agency_ids, None)

    async def start(self) -> None:
        if self.task is None or self.task.done():
            self.last_id = await sync_to_async(_latest_id, thread_sensitive=False)()
            self.task = asyncio.create_task(self._run())

    def dispatch(self, changes: Iterable[Change], now: float = 0.0) -> None:
        """Hand each change not yet handed out to the screens of the agencies it names. Changes may
        come twice (from a NOTIFY and from a catch-up read): each reaches a screen once."""
        fresh: list[Change] = []
        received: set[int] = set()
        for change in changes:
            if (change.pk > self.last_id or change.pk in self.gaps) and change.pk not in received:
                fresh.append(change)
                received.add(change.pk)
        top = max(received, default=self.last_id)
        if top > self.last_id:
            # Newest first: after a long jump the ids still in flight are the ones just below the top.
            for pk in range(top - 1, self.last_id, -1):
                if len(self.gaps) >= MAX_GAPS:
                    break
                if pk not in received:
                    self.gaps[pk] = now
            self.last_id = top
        for pk in received:
            self.gaps.pop(pk, None)
        while self.gaps:  # forget the oldest gaps: their transactions rolled back
            oldest, missed_at = next(iter(self.gaps.items()))
            if now - missed_at < GAP_SECONDS:
                break
            del self.gaps[oldest]
        if not fresh:
            return
        messages = [(frozenset(c.agency_ids), c.message()) for c in fresh]
        for agencies, group in self.audiences.items():
            chunk = b"".join(message for targets, message in messages if not agencies.isdisjoint(targets))
            if chunk:
                for subscriber in list(group):
                    with contextlib.suppress(asyncio.QueueFull):
                        subscriber.queue.put_nowait(chunk)

    def keep_alive(self) -> None:
        """One comment line to every screen, so proxies keep idle streams open (cheaper than a
        timeout per message on every stream)."""
        for subscriber in self.subscribers:
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(KEEPALIVE)

    async def _fetch(self) -> None:
        changes = await sync_to_async(_events_after, thread_sensitive=False)(self.last_id, list(self.gaps))
        self.dispatch(changes, asyncio.get_running_loop().time())

    async def _run(self) -> None:
        listening = connection.vendor == "postgresql"
        listener = asyncio.create_task(self._listen()) if listening else None
        loop = asyncio.get_running_loop()
        next_keepalive = loop.time() + KEEPALIVE_SECONDS
        self.heard_at = loop.time()
        try:
            while True:
                if loop.time() >= next_keepalive:
                    self.keep_alive()
                    next_keepalive = loop.time() + KEEPALIVE_SECONDS
                if not listening or loop.time() - self.heard_at >= NOTIFY_TIMEOUT:
                    await self._read_table()
                    self.heard_at = loop.time()
                await asyncio.sleep(POLL_SECONDS if not listening else 1.0)
        finally:
            if listener is not None:
                listener.cancel()

    async def _read_table(self) -> None:
        try:
            await self._fetch()
        except Exception:  # keep serving screens through a database hiccup
            logger.exception("live hub could not read events")
            await asyncio.sleep(1)

    async def _listen(self) -> None:
        """One LISTEN connection per process. Its socket stays registered with the event loop, and
        each time it is readable the waiting notifications are taken straight from libpq: no task,
        future or query per change (psycopg's `notifies()` generator re-arms the loop per wait)."""
        import psycopg

        settings = connection.settings_dict
        loop = asyncio.get_running_loop()
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
            except Exception:
                logger.exception("live hub could not open its LISTEN connection; retrying")
                await asyncio.sleep(1)
                continue
            try:
                await conn.execute(f"LISTEN {CHANNEL}")
                lost: asyncio.Future[None] = loop.create_future()
                socket = conn.pgconn.socket
                loop.add_reader(socket, self._hear, conn.pgconn, lost)
                try:
                    await self._read_table()  # what committed while this process was not listening
                    await lost
                finally:
                    loop.remove_reader(socket)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live hub lost its LISTEN connection; reconnecting")
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close()

    def _hear(self, pgconn: Any, lost: asyncio.Future[None]) -> None:
        try:
            pgconn.consume_input()
        except Exception as exc:  # the server or the network closed the connection
            if not lost.done():
                lost.set_exception(exc)
            return
        unreadable = False
        while (notify := pgconn.notifies()) is not None:
            change = Change.from_payload(notify.extra.decode())
            if change is None:
                unreadable = True
            else:
                self._pending.append(change)
        loop = asyncio.get_running_loop()
        if unreadable:
            self.heard_at = float("-inf")  # read the table at the next tick
        elif self._pending:
            self.heard_at = loop.time()
        if self._pending and self._flush is None:
            delay = max(0.0, self._flushed_at + BATCH_SECONDS - loop.time())
            self._flush = loop.call_later(delay, self._hand_out)

    def _hand_out(self) -> None:
        changes, self._pending, self._flush = self._pending, [], None
        self._flushed_at = asyncio.get_running_loop().time()
        self.dispatch(changes, self._flushed_at)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop: one per loop, forgotten with its loop."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]
