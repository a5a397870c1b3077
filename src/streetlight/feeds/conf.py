"""The feeds app's settings, with their defaults: `STREETLIGHT["GAZETTEER"]` and `STREETLIGHT["FEEDS"]`."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from streetlight.core.crypto import keyring

DEMO_GAZETTEER = Path(__file__).resolve().parent.parent / "demo" / "data" / "gazetteer.csv"

DEFAULTS: dict[str, Any] = {
    "PAUSE_AFTER_FAILURES": 5,  # consecutive failures before a source is paused
    "BATCH": 100,  # posts stored per transaction (with the cursor)
    "TIMEOUT_SECONDS": 20.0,
    "MAX_SKIPPED_LOGGED": 50,  # skipped items kept per run in the log (all are counted)
    "BURST_WINDOW_MINUTES": 30,
    "BURST_MIN_COUNT": 3,
    "BURST_BASELINE_PER_HOUR": 0.05,
    "BURST_ALPHA": 0.001,
    "SIGNAL_MAX_AGE_HOURS": 24,  # older posts (a backfill) feed statistics but raise no signal
    "FILE_ROOT": "",  # where file: sources are read; default DATA_DIR/feeds
}


def value(name: str) -> Any:
    return {**DEFAULTS, **settings.STREETLIGHT.get("FEEDS", {})}[name]


def gazetteer_path() -> Path:
    return Path(settings.STREETLIGHT.get("GAZETTEER") or DEMO_GAZETTEER)


def file_root() -> Path:
    return Path(value("FILE_ROOT") or Path(settings.DATA_DIR) / "feeds")


def burst_kwargs() -> dict[str, Any]:
    return {
        "window": timedelta(minutes=float(value("BURST_WINDOW_MINUTES"))),
        "min_count": int(value("BURST_MIN_COUNT")),
        "baseline_per_hour": float(value("BURST_BASELINE_PER_HOUR")),
        "alpha": float(value("BURST_ALPHA")),
    }


def pseudonym_key() -> bytes:
    """Derived from the key ring's stable index key, so pseudonyms survive restarts and key
    rotations, and differ from the blind index of the same string (another purpose, another key)."""
    return hmac.new(keyring().index_key, b"streetlight.feeds.author-pseudonym", hashlib.sha256).digest()
