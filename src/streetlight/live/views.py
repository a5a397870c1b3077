"""The Server-Sent Events stream of a control-room screen."""

from __future__ import annotations

from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from streetlight.accounts.models import User
from streetlight.routing.selectors import agency_id_list_of

from .hub import hub


def _agency_ids_and_release(user: User | AnonymousUser) -> list[int]:
    """Look the user's agencies up, then give the database connection back: a stream stays open for
    hours and must not hold a connection (or a pool slot) all that time."""
    try:
        return agency_id_list_of(user=user)
    finally:
        connection.close()


async def stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Events for the agencies the signed-in user works for, and only those. Each event names the
    report and what happened; the screen fetches what it may show through the usual selectors."""
    user = await request.auser()
    agency_ids = await sync_to_async(_agency_ids_and_release)(user)
    if not agency_ids:
        return HttpResponse("Sign in as a member of an agency to follow the live queue.", status=403)
    live = hub()
    await live.start()
    subscriber = live.subscribe(frozenset(agency_ids))

    async def events() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 2000\n\n"
            while True:
                yield await subscriber.queue.get()
        finally:
            live.unsubscribe(subscriber)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
