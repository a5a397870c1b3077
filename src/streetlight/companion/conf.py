"""The companion's settings, read from STREETLIGHT["COMPANION"] with safe defaults, so a city that
never configures it still gets short retention and a sane alert delay."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULTS: dict[str, object] = {
    # Minutes after the expected arrival before the contacts are alerted (a late bus is not an emergency).
    "GRACE_MINUTES": 5,
    # Minutes the positions stay after an arrival or an end, so a contact who opens the link late sees it ended.
    "POSITION_GRACE_MINUTES": 15,
    # Hours an alerted walk keeps its positions if the resident never ends it (contacts and responders act).
    "ALERT_KEEP_HOURS": 24,
    # Longest walk: the expected arrival can be at most this far, and active walks are ended after it.
    "MAX_HOURS": 6,
    # Days an anonymous stub (times, status, token hashes) stays so old links say "ended", not "unknown".
    "STUB_DAYS": 30,
    "EXTEND_MINUTES": 10,
    "MAX_CONTACTS": 5,
    # The control-room report of an alert, when the resident chose it.
    "CATEGORY": "unsafe-other",
    "SOURCE": "walk-me-home",
    # The last known position in an alert e-mail ({lat}, {lon}); opened only if the contact taps it.
    "MAP_LINK": "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}",
}


def value(name: str) -> object:
    return settings.STREETLIGHT.get("COMPANION", {}).get(name, DEFAULTS[name])


def number(name: str) -> int:
    return int(str(value(name)))


def minutes(name: str) -> timedelta:
    return timedelta(minutes=number(name))


def hours(name: str) -> timedelta:
    return timedelta(hours=number(name))
