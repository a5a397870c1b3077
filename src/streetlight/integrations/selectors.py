"""Reads of the integrations app."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from .models import AgencyToken, Open311Client

MAX_KEY_LENGTH = 200


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def open311_client_get_by_key(*, raw_key: str) -> Open311Client | None:
    """The active client holding this API key, or None; missing, wrong and revoked keys look alike."""
    if not raw_key or len(raw_key) > MAX_KEY_LENGTH:
        return None
    return Open311Client.objects.filter(key_hash=hash_api_key(raw_key), active=True).first()


def agency_token_for_key(*, raw_key: str) -> AgencyToken | None:
    """The valid token holding this key: not revoked, not expired, its account active. Missing,
    wrong, revoked and expired keys look alike to the caller."""
    if not raw_key or len(raw_key) > MAX_KEY_LENGTH:
        return None
    return (
        AgencyToken.objects.select_related("agency", "account")
        .filter(key_hash=hash_api_key(raw_key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .filter(account__is_active=True)
        .first()
    )
