"""Django behind an ASGI server, with the middleware chain and the view run as one synchronous call
on a request thread that is kept for the next request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase

# Request threads kept waiting for the next request; one more per request served at the same time,
# beyond this many they end when their request does.
IDLE_THREADS = 64


class OneThreadASGIHandler(ASGIHandler):
    """Our views and most middleware are synchronous. Django's async chain adapts at every border
    between synchronous and asynchronous middleware and then runs the view in a thread again: three
    hand-overs between the event loop and a worker thread each way per request, which cost more than
    a small view itself. Here the chain runs as under WSGI, in one call on the request's thread
    (the same thread-sensitive thread as the request_started and request_finished signals, so they
    see the same database connection); the event loop keeps reading bodies, writing answers and
    serving the live streams.

    Django starts a new thread for every request; here a request takes an idle request thread (a
    one-thread executor, as asgiref's ThreadSensitiveContext allows) and gives it back when done,
    as a WSGI server's thread pool does."""

    def __init__(self) -> None:
        super().__init__()
        self._idle: list[ThreadPoolExecutor] = []

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        except BaseException:
            executor.shutdown(wait=False)  # its thread may still be busy: not given to the next request
            raise
        # A request the client left still ran to its end: request_finished queued behind the view.
        if len(self._idle) < IDLE_THREADS:
            self._idle.append(executor)
        else:
            executor.shutdown(wait=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
