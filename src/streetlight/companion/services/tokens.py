"""Link tokens: 192 random bits, kept only as SHA-256 hashes (like the reports' follow-up tokens)."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
