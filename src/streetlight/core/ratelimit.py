"""Per-client submission limits (django-ratelimit), with the rate taken from settings."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

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
