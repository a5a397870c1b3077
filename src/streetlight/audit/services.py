"""The one way to write to the audit log, and the signed checkpoints that seal it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.core.request_context import client_address

from . import signing
from .chain import CHAINED_FIELDS, GENESIS, entry_hash, merkle_root
from .models import AuditCheckpoint, AuditEntry
from .verification import Problem, verify_chain

# Transaction-scoped PostgreSQL advisory locks ("sl-audit" and "sl-ckpt" in ASCII).
CHAIN_LOCK = 0x736C_2D61_7564_6974
CHECKPOINT_LOCK = 0x736C_2D63_6B70_74


class AuditTampered(Exception):
    """The log no longer verifies, so no checkpoint may vouch for it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _advisory_lock(key: int) -> None:
    """Held until the outermost transaction ends. SQLite needs none: Streetlight opens its
    transactions with BEGIN IMMEDIATE, which already lets one writer at a time in."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry, chained to the last one. Call it inside the service's transaction so the
    change and its trace commit or roll back together.

    Appending takes the chain lock until that transaction ends: two writers reading the same head
    would fork the chain. So record() late in a transaction, after the rows it locks, never before:
    a transaction that waits for a row lock while holding the chain lock can deadlock with one that
    holds the row and waits for the chain."""
    user = actor if isinstance(actor, User) else None
    with transaction.atomic(savepoint=False):
        _advisory_lock(CHAIN_LOCK)
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor=user,
            actor_label=actor_label or (user.get_username() if user else "system"),
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=data or {},
            source_address=client_address.get(),
            prev_hash=prev_hash,
        )
        entry.hash = entry_hash({name: getattr(entry, name) for name in CHAINED_FIELDS})
        entry.save(force_insert=True)
    return entry


@transaction.atomic
def audit_checkpoint() -> AuditCheckpoint | None:
    """Sign the Merkle root over the entries written since the last checkpoint, chained to that
    checkpoint's root; None when there is nothing new. The new entries (and the last checkpoint)
    are verified first: a checkpoint must never vouch for a log that was already tampered with."""
    _advisory_lock(CHECKPOINT_LOCK)
    keys = signing.signing_keys()
    if keys.private is None or keys.current_id is None:
        raise signing.SigningKeyError("no private audit signing key here: this installation can only verify")
    last = AuditCheckpoint.objects.order_by("-last_seq").first()
    checked = verify_chain(since=last, keys=keys)
    if checked.problem is not None:
        raise AuditTampered(checked.problem)
    first_seq = last.last_seq + 1 if last else 1
    if checked.last_seq is None or checked.last_seq < first_seq:
        return None
    hashes = list(
        AuditEntry.objects.filter(seq__gte=first_seq, seq__lte=checked.last_seq)
        .order_by("seq")
        .values_list("hash", flat=True)
    )
    checkpoint = AuditCheckpoint(
        first_seq=first_seq,
        last_seq=checked.last_seq,
        merkle_root=merkle_root(previous_root=last.merkle_root if last else GENESIS, hashes=hashes),
        key_id=keys.current_id,
        public_key=signing.public_bytes(keys.private.public_key()).hex(),
        created_at=timezone.now(),
    )
    checkpoint.signature = keys.private.sign(checkpoint.signed_message()).hex()
    checkpoint.save(force_insert=True)
    return checkpoint
