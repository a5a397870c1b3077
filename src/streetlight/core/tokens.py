"""Secret links and bearer tokens: 192 random bits, kept only as SHA-256 hashes, so a copy of the
database opens nothing. One definition for every app that hands out a link (follow-up, walks,
subscriptions, businesses, chat)."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
