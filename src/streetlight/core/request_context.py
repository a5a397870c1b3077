"""Where a request comes from, for the audit log ("who, what, when, from where").

A contextvar works for both the threads of WSGI and the tasks of ASGI; background work has none."""

from __future__ import annotations

from contextvars import ContextVar
from inspect import iscoroutinefunction
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

client_address: ContextVar[str] = ContextVar("client_address", default="")


def address_of(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, or the header the proxy sets (`STREETLIGHT_CLIENT_IP_META`).
    In a list such as X-Forwarded-For the last entry is the one our proxy added; the ones before it
    came from the client and may be made up, so they never count."""
    meta = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = str(request.META.get(meta) or request.META.get("REMOTE_ADDR") or "")
    return value.split(",")[-1].strip()[:64]


@sync_and_async_middleware
def RequestContextMiddleware(get_response: Any) -> Any:
    """Works in both modes, so it never forces a thread hop under ASGI."""
    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponse:
            token = client_address.set(address_of(request))
            try:
                return await get_response(request)
            finally:
                client_address.reset(token)

        return middleware

    def sync_middleware(request: HttpRequest) -> HttpResponse:
        token = client_address.set(address_of(request))
        try:
            return get_response(request)
        finally:
            client_address.reset(token)

    return sync_middleware
