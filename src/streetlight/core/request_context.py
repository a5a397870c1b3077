"""Where a request comes from, for the audit log ("who, what, when, from where").

A contextvar works for both the threads of WSGI and the tasks of ASGI; background work has none."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

client_address: ContextVar[str] = ContextVar("client_address", default="")


def address_of(request: HttpRequest) -> str:
    meta = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = str(request.META.get(meta) or request.META.get("REMOTE_ADDR") or "")
    return value.split(",")[0].strip()[:64]


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_address.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)
