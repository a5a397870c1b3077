"""The app's settings, under STREETLIGHT["SUBSCRIPTIONS"], each with a default that works as is."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # How long a confirmation link works.
    "CONFIRM_HOURS": 48,
    # Webhook and e-mail delivery: tries before giving up, and the HTTP timeout per try.
    "MAX_ATTEMPTS": 8,
    "WEBHOOK_TIMEOUT_SECONDS": 5.0,
    # Entries in a subscriber's Atom feed.
    "FEED_ITEMS": 50,
}


def setting(name: str) -> Any:
    """Read at call time, so tests and operators can change a value without a restart of the app."""
    own = (getattr(settings, "STREETLIGHT", {}) or {}).get("SUBSCRIPTIONS", {}) or {}
    return own.get(name, DEFAULTS[name])
