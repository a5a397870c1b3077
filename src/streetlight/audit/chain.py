"""The hashes behind the tamper-evident audit log: pure functions, no database.

Each entry's hash is SHA-256 over a canonical serialisation of its fields and the previous entry's
hash, so changing, removing or moving one entry breaks every link after it. The serialisation is
frozen: entries already written were hashed with it, so a new field on AuditEntry must not be added
to `CHAINED_FIELDS` without a versioned format. The primary key is deliberately not in it: it is
only known after the INSERT, and the row may never be updated afterwards. `seq` is the entry's place
in the chain instead.

Checkpoints sign a Merkle root (RFC 6962 tree hashing, so a leaf can never pass for an inner node)
over the entry hashes they cover, with the previous checkpoint's root as the first leaf: one
signature vouches for the whole history up to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64  # the prev_hash of the first entry
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "data",
    "source_address",
    "prev_hash",
)


def _plain(value: Any) -> Any:
    """JSON data as any database gives it back. PostgreSQL's jsonb keeps numbers as decimals, so a
    float such as 1e+20 returns as the integer 100000000000000000000: integral floats are hashed as
    the integers their decimal form denotes, on every database alike."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return int(Decimal(repr(value))) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"audit data must be plain JSON, not {type(value).__name__}")


def canonical(fields: Mapping[str, Any]) -> bytes:
    """Sorted-key, compact JSON of the chained fields; `at` as an ISO-8601 UTC string."""
    values = {name: fields[name] for name in CHAINED_FIELDS}
    at = values["at"]
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise TypeError("`at` must be an aware datetime")
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    values["data"] = _plain(values["data"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def entry_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _tree(leaves: Sequence[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaves[0]
    split = 1 << ((len(leaves) - 1).bit_length() - 1)  # the largest power of two below the length
    return _node(_tree(leaves[:split]), _tree(leaves[split:]))


def merkle_root(*, previous_root: str, hashes: Sequence[str]) -> str:
    """The root over the previous checkpoint's root (GENESIS for the first) and the entry hashes."""
    leaves = [_leaf(bytes.fromhex(h)) for h in (previous_root, *hashes)]
    return _tree(leaves).hex()


def checkpoint_message(*, first_seq: int, last_seq: int, merkle_root: str, key_id: str, created_at: datetime) -> bytes:
    """What a checkpoint's signature covers, prefixed so it can never pass for another message."""
    fields = {
        "first_seq": first_seq,
        "last_seq": last_seq,
        "merkle_root": merkle_root,
        "key_id": key_id,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return b"streetlight-audit-checkpoint-v1\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
