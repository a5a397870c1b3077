"""Django behind an ASGI server, with the middleware chain and the view run as one synchronous call."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class OneThreadASGIHandler(ASGIHandler):
    """Our views and most middleware are synchronous. Django's async chain adapts at every border
    between synchronous and asynchronous middleware and then runs the view in a thread again: three
    hand-overs between the event loop and a worker thread each way per request, which cost more than
    a small view itself. Here the chain runs as under WSGI, in one call on the request's thread
    (the same thread-sensitive thread as the request_started and request_finished signals, so they
    see the same database connection); the event loop keeps reading bodies, writing answers and
    serving the live streams."""

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
