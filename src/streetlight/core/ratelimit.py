"""Per-client limits (django-ratelimit) on submissions and on every public endpoint, with the rates
taken from settings."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from .problems import problem
from .request_context import address_of

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/10m' -> (20, 600). Raises ValueError naming the setting on a bad value."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"STREETLIGHT_SUBMIT_RATE must look like '20/10m', not {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _SECONDS[unit]


def client_key(group: str, request: HttpRequest) -> str:
    """The client's address, from the configured header behind a proxy. A request without one
    (a Unix socket, some test clients) shares one bucket rather than failing."""
    return address_of(request) or "unknown"


def submission_limited(request: HttpRequest, *, group: str = "submit") -> int | None:
    """Count one submission for this client; return the seconds to wait if over the limit."""
    count, period = parse_rate(str(settings.STREETLIGHT["SUBMIT_RATE"]))
    usage = get_usage(request, group=group, key=client_key, rate=(count, period), method="POST", increment=True)
    if usage and usage["should_limit"]:
        return max(1, int(usage["time_left"]))
    return None


def public_limited(request: HttpRequest) -> int | None:
    """Count one request by a visitor who is not signed in; the seconds to wait if over the limit.
    Generous enough for a person (or an office behind one address) and for open-data downloads,
    low enough that scraping the follow-up pages or hammering the API stops quickly."""
    count, period = parse_rate(str(settings.STREETLIGHT["PUBLIC_RATE"]))
    usage = get_usage(request, group="public", key=client_key, rate=(count, period), method=ALL, increment=True)
    if usage and usage["should_limit"]:
        return max(1, int(usage["time_left"]))
    return None


class PublicRateLimitMiddleware:
    """A limit on every public endpoint — pages, the API, Open311, open data — per client address.
    Staff sessions and partner tokens are not counted here: sign-in is guarded by django-axes and
    tokens are per agency. Static files never reach this middleware (WhiteNoise answers first)."""

    EXEMPT = ("/healthz",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        anonymous = not request.user.is_authenticated and not request.headers.get("Authorization", "").startswith(
            "Bearer slt_"
        )
        if anonymous and not request.path.startswith(self.EXEMPT) and (wait := public_limited(request)):
            return self.refused(request, wait)
        return self.get_response(request)

    @staticmethod
    def refused(request: HttpRequest, wait: int) -> HttpResponse:
        title = _("Too many requests from your connection. Please wait a moment and try again.")
        headers = {"Retry-After": str(wait)}
        if request.path.startswith(("/api/", "/open311/")):
            return problem(status=429, title=title, headers=headers)
        response = render(request, "core/error.html", {"status": 429, "title": title}, status=429)
        response["Retry-After"] = str(wait)
        return response
