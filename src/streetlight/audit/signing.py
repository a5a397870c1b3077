"""The Ed25519 key that signs audit checkpoints. It never lives in the database: whoever can write
the database must not be able to re-sign a rewritten history.

The key comes from `STREETLIGHT_AUDIT_SIGNING_KEY` (`id:base64 32-byte seed`) or from the file
`STREETLIGHT_AUDIT_SIGNING_KEY_FILE` (default `<data dir>/audit-signing-key`, created with mode 0600
on first use, like the field-encryption keys). The file's first private line is the current key;
further lines keep earlier keys trusted after a rotation, either as they were or as
`id:public:base64 public key` so their private half can be destroyed. Each checkpoint stores its
key id and public key, so checking a signature needs no secret; `trusted_keys` says which public
keys this installation vouches for.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from streetlight.core.keyfiles import key_lines, new_key_line

logger = logging.getLogger("streetlight.audit")
ENV = "STREETLIGHT_AUDIT_SIGNING_KEY"
FILE_ENV = "STREETLIGHT_AUDIT_SIGNING_KEY_FILE"
PUBLIC = "public"


class SigningKeyError(Exception):
    """The signing key is missing or malformed."""


@dataclass(frozen=True)
class SigningKeys:
    current_id: str | None  # None: verification only, this installation cannot sign
    private: Ed25519PrivateKey | None
    trusted: dict[str, bytes]  # key id -> raw public key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public_key: bytes) -> str:
    """A short, stable name for a public key, to compare with a copy kept elsewhere."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def _decode(raw: str, source: str, kid: str) -> bytes:
    try:
        value = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise SigningKeyError(f"{source}: key {kid!r} is not valid base64") from exc
    if len(value) != 32:
        raise SigningKeyError(f"{source}: key {kid!r} must be 32 bytes (Ed25519), got {len(value)}")
    return value


def _parse(lines: list[str], source: str) -> SigningKeys:
    current_id: str | None = None
    private: Ed25519PrivateKey | None = None
    trusted: dict[str, bytes] = {}
    for line in lines:
        kid, sep, rest = line.strip().partition(":")
        if not sep or not kid or not rest:
            raise SigningKeyError(f"{source}: each key is written id:base64 (got {line.strip()[:12]!r}…)")
        kind, sep, public_raw = rest.partition(":")
        if sep and kind == PUBLIC:
            trusted[kid] = _decode(public_raw, source, kid)
            continue
        key = Ed25519PrivateKey.from_private_bytes(_decode(rest, source, kid))
        trusted[kid] = public_bytes(key.public_key())
        if private is None:
            current_id, private = kid, key
    if not trusted:
        raise SigningKeyError(f"{source}: no key")
    return SigningKeys(current_id=current_id, private=private, trusted=trusted)


def key_file() -> Path:
    return Path(os.environ.get(FILE_ENV) or Path(settings.DATA_DIR) / "audit-signing-key")


_lock = threading.Lock()
_keys: SigningKeys | None = None


def signing_keys() -> SigningKeys:
    """The keys, read once per process (`forget_signing_keys` after changing them)."""
    global _keys
    with _lock:
        if _keys is None:
            lines, source = key_lines(
                env=ENV, path=key_file(), first_lines=lambda: [new_key_line("a1")], what="audit signing key"
            )
            _keys = _parse(lines, source)
        return _keys


def forget_signing_keys() -> None:
    global _keys
    with _lock:
        _keys = None


def public_line(kid: str, public_key: bytes) -> str:
    return f"{kid}:{PUBLIC}:{base64.b64encode(public_key).decode()}"


def rotated_lines() -> tuple[str, list[str]]:
    """The new key's id and every key line after a rotation: the new key first, then the earlier
    ones as public lines only, so their checkpoints still verify but a leaked old key can sign
    nothing this installation trusts from then on."""
    keys = signing_keys()
    number = 1 + max((int(kid[1:]) for kid in keys.trusted if kid[:1] == "a" and kid[1:].isdigit()), default=0)
    kid = f"a{number}"
    return kid, [new_key_line(kid), *(public_line(old, public) for old, public in keys.trusted.items())]


def key_rotate() -> str:
    """Rotate the keys in the key file (keys from the environment are the operator's to edit)."""
    kid, lines = rotated_lines()
    path = key_file()
    staged = path.with_name(path.name + ".new")
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    staged.replace(path)  # atomic: a crash leaves the old file or the new one, never half of it
    forget_signing_keys()
    return kid
