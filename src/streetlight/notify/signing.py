"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>", sent as
`Streetlight-Signature: t=<unix seconds>,v1=<hex digest>`. Receivers recompute it with the shared
secret, compare in constant time, and refuse timestamps older than a few minutes (replays)."""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def verify(secret: str, body: bytes, header: str, now: int | None = None) -> bool:
    """The receiver's check, used by our tests exactly as documented in docs/webhooks.md."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((int(time.time()) if now is None else now) - t) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))
