"""The Server-Sent Events stream of a control-room screen, served straight from ASGI.

A stream stays open for hours and may carry hundreds of events a second to dozens of screens, so
it does not go through Django's response machinery: Django authenticates the request once (session,
user, agencies), then each screen gets one `send` per batch of waiting events — a burst of changes
costs one write per screen, not one per change."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Awaitable, Callable, Mapping
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import connection

from streetlight.accounts.middleware import session_keep_alive
from streetlight.accounts.signin import session_is_verified
from streetlight.core.body_limit import SAFEGUARDS
from streetlight.routing.selectors import agency_id_list_of

from .hub import Subscriber, hub

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

PATH = "/control/stream/"
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx must pass each event on at once
    *SAFEGUARDS,
]
RETRY = b"retry: 2000\n\n"


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _agency_ids(scope: Scope) -> tuple[list[int], str]:
    """Authenticate as Django's middleware would (allowed host, session cookie, session hash), then
    give the database connection back: the stream must not hold one for hours."""
    request = ASGIRequest(scope, io.BytesIO())
    try:
        request.get_host()
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        user = get_user(request)
        verified = session_is_verified(request.session, user)
        agency_ids = agency_id_list_of(user=user) if verified else []
    except DisallowedHost as exc:
        raise Refused(400, "This host name is not served here.") from exc
    finally:
        connection.close()
    if not agency_ids:
        raise Refused(403, "Sign in as a member of an agency to follow the live queue.")
    return agency_ids, str(session_key)


def _session_alive(session_key: str) -> bool:
    try:
        return session_keep_alive(import_module(settings.SESSION_ENGINE).SessionStore(session_key))
    finally:
        connection.close()


async def _watch_session(session_key: str) -> None:
    """Returns — ending the stream — once the session is signed out or too old; meanwhile marks the
    open screen as active, so the idle timeout does not sign out a watched wall screen."""
    while True:
        await asyncio.sleep(float(settings.STREETLIGHT_LIVE_SESSION_CHECK_SECONDS))
        if not await sync_to_async(_session_alive, thread_sensitive=False)(session_key):
            return


async def _refuse(send: Send, refused: Refused) -> None:
    body = str(refused).encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *SAFEGUARDS,
    ]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _pump(subscriber: Subscriber, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": RETRY, "more_body": True})
    queue = subscriber.queue
    while True:
        chunks = [await queue.get()]
        while not queue.empty():  # everything already waiting leaves in one write
            chunks.append(queue.get_nowait())
        await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Events for the agencies the signed-in user works for, and only those. Each event names the
    report and what happened; the screen fetches what it may show through the usual selectors."""
    if scope["method"] not in ("GET", "HEAD"):
        await _refuse(send, Refused(405, "The live stream is read with GET."))
        return
    try:
        agency_ids, session_key = await sync_to_async(_agency_ids, thread_sensitive=False)(scope)
    except Refused as refused:
        await _refuse(send, refused)
        return
    live = hub()
    await live.start()
    subscriber = live.subscribe(frozenset(agency_ids))
    pump = asyncio.create_task(_pump(subscriber, send))
    watch = asyncio.create_task(_until_disconnect(receive))
    session = asyncio.create_task(_watch_session(session_key))
    try:
        done, _ = await asyncio.wait({pump, watch, session}, return_when=asyncio.FIRST_COMPLETED)
        if session in done:  # signed out: end the response properly; the screen's reconnect is refused
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        live.unsubscribe(subscriber)
        for task in (pump, watch, session):
            task.cancel()
        for task in (pump, watch, session):
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await task  # a send to a closed connection may raise; the screen is gone either way
