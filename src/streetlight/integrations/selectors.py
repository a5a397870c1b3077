"""Reads of the integrations app."""

from __future__ import annotations

import hashlib

from .models import Open311Client

MAX_KEY_LENGTH = 200


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def open311_client_get_by_key(*, raw_key: str) -> Open311Client | None:
    """The active client holding this API key, or None; missing, wrong and revoked keys look alike."""
    if not raw_key or len(raw_key) > MAX_KEY_LENGTH:
        return None
    return Open311Client.objects.filter(key_hash=hash_api_key(raw_key), active=True).first()
