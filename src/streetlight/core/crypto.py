"""Field encryption: AES-256-GCM under a key ring whose keys never live in the database.

A reporter's contact details are the most dangerous thing Streetlight stores: a copy of the database
(a backup, a dump sent for debugging) must not reveal them. Each value is stored as
`sl1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`, with the table and column bound in as associated
data, so a value copied into another column does not decrypt. The key id lets old values stay
readable after a new key is added; `streetlight keys rotate` re-encrypts them.

Keys come from `STREETLIGHT_KEYS` (`id:base64key,id:base64key`, current first) or from the file
`STREETLIGHT_KEYS_FILE` (one `id:base64key` per line, current first). Without either, a key file is
created in the data directory on first use, so `make run` works; a real city backs that file up
apart from the database. A separate, stable index key (`index:base64key`) makes a blind index: an
HMAC of a normalised e-mail address, to find a reporter's data on request without decrypting all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from .keyfiles import key_lines, new_key_line

logger = logging.getLogger("streetlight.crypto")
PREFIX = "sl1"
NONCE_BYTES = 12
INDEX_ID = "index"


class KeyRingError(Exception):
    """The key ring is missing, malformed, or lacks the key a value was encrypted with."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current: str
    index_key: bytes


def _parse(entries: list[str], source: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for entry in entries:
        kid, sep, raw = entry.strip().partition(":")
        if not sep or not kid or not raw:
            raise KeyRingError(f"{source}: each key is written id:base64 (got {entry.strip()[:12]!r}…)")
        try:
            key = base64.b64decode(raw, validate=True)
        except ValueError as exc:
            raise KeyRingError(f"{source}: key {kid!r} is not valid base64") from exc
        if len(key) != 32:
            raise KeyRingError(f"{source}: key {kid!r} must be 32 bytes (AES-256), got {len(key)}")
        keys[kid] = key
        order.append(kid)
    if INDEX_ID not in keys:
        raise KeyRingError(f"{source}: no {INDEX_ID!r} key for the blind index")
    data_keys = [kid for kid in order if kid != INDEX_ID]
    if not data_keys:
        raise KeyRingError(f"{source}: no encryption key")
    return KeyRing(keys=keys, current=data_keys[0], index_key=keys[INDEX_ID])


def key_file() -> Path:
    return Path(os.environ.get("STREETLIGHT_KEYS_FILE") or Path(settings.DATA_DIR) / "field-keys")


_lock = threading.Lock()
_ring: KeyRing | None = None


def keyring() -> KeyRing:
    """The key ring, read once per process (`forget_keyring` after changing it)."""
    global _ring
    with _lock:
        if _ring is None:
            lines, source = key_lines(
                env="STREETLIGHT_KEYS",
                path=key_file(),
                first_lines=lambda: [new_key_line("k1"), new_key_line(INDEX_ID)],
                what="field-encryption key",
            )
            _ring = _parse(lines, source)
        return _ring


def forget_keyring() -> None:
    global _ring
    with _lock:
        _ring = None


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.current]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def key_id(value: str) -> str | None:
    return value.split(":", 2)[1] if is_encrypted(value) and value.count(":") >= 2 else None


def decrypt(token: str, *, context: str) -> str:
    _prefix, kid, body = token.split(":", 2)
    key = keyring().keys.get(kid)
    if key is None:
        raise KeyRingError(f"no key {kid!r} in the key ring: was it removed before `streetlight keys rotate` finished?")
    raw = base64.b64decode(body)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag as exc:
        raise KeyRingError(
            f"a value encrypted with key {kid!r} does not decrypt: altered, or moved from elsewhere"
        ) from exc


def blind_index(value: str) -> str:
    """A stable, keyed fingerprint of a normalised value (lower case, no surrounding spaces)."""
    normalised = value.strip().lower()
    if not normalised:
        return ""
    return hmac.new(keyring().index_key, normalised.encode(), hashlib.sha256).hexdigest()
