"""Tampering with the real database, as someone with direct access would: each kind is detected and
the first bad entry (or checkpoint) is named."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from streetlight.audit import services
from streetlight.audit.chain import entry_hash
from streetlight.audit.models import AuditCheckpoint, AuditEntry
from streetlight.audit.signing import public_bytes
from streetlight.audit.verification import Kind, verify_chain

from .conftest import fields_of, insert_raw, raw_sql, rehash_from, set_seq, shift_up, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def log() -> list[AuditEntry]:
    """Ten entries after whatever the database already held."""
    return write(10)


def test_an_edited_entry_is_named(log: list[AuditEntry]) -> None:
    victim = log[4]
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_label = 'someone-else' WHERE seq = %s", [victim.seq])
    problem = verify_chain().problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.pk) == (Kind.EDITED, victim.seq, victim.pk)


def test_an_edited_entry_whose_hash_was_recomputed_is_named(log: list[AuditEntry]) -> None:
    victim = log[4]
    forged = {**fields_of(victim.seq), "action": "test.harmless"}
    with raw_sql() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = %s, hash = %s WHERE seq = %s",
            [forged["action"], entry_hash(forged), victim.seq],
        )
    problem = verify_chain().problem
    assert problem is not None and (problem.kind, problem.seq) == (Kind.EDITED, victim.seq)


def test_a_deleted_entry_is_named(log: list[AuditEntry]) -> None:
    victim = log[4]
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [victim.seq])
    result = verify_chain()
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq, result.problem.pk) == (Kind.DELETED, victim.seq, None)
    assert result.last_seq == victim.seq - 1  # everything before it checked out


def test_deleting_the_newest_entries_is_caught_by_the_checkpoint_that_covered_them(log: list[AuditEntry]) -> None:
    services.audit_checkpoint()
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq >= %s", [log[7].seq])
    problem = verify_chain().problem
    assert problem is not None and (problem.kind, problem.seq) == (Kind.DELETED, log[7].seq)


@pytest.mark.parametrize(
    ("linked", "hashed"), [(True, True), (True, False), (False, False)], ids=["careful", "unhashed", "sloppy"]
)
def test_an_inserted_entry_is_named(log: list[AuditEntry], linked: bool, hashed: bool) -> None:
    """The forger makes room by renumbering the later entries, then writes a fake one in the gap,
    with or without a correct link and hash."""
    before = log[3]
    fake = {
        **fields_of(before.seq),
        "seq": before.seq + 1,
        "action": "test.alibi",
        "prev_hash": before.hash if linked else "e" * 64,
    }
    with raw_sql() as cursor:
        shift_up(cursor, after=before.seq)
        insert_raw(cursor, fake, entry_hash(fake) if hashed else "f" * 64)
    problem = verify_chain().problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (Kind.INSERTED, before.seq + 1)
    assert problem.pk == AuditEntry.objects.get(action="test.alibi").pk


def test_reordered_entries_are_named(log: list[AuditEntry]) -> None:
    first, second = log[4], log[5]
    with raw_sql() as cursor:  # swap their numbers, so the later one now comes first
        set_seq(cursor, first.seq, 10**12)
        set_seq(cursor, second.seq, first.seq)
        set_seq(cursor, 10**12, second.seq)
    problem = verify_chain().problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.pk) == (Kind.REORDERED, first.seq, second.pk)


def test_history_rewritten_with_every_hash_recomputed_is_caught_by_the_signed_checkpoint(
    log: list[AuditEntry],
) -> None:
    checkpoint = services.audit_checkpoint()
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_label = 'nobody' WHERE seq = %s", [log[2].seq])
        rehash_from(cursor, log[2].seq)
    problem = verify_chain().problem
    assert problem is not None and problem.kind == Kind.CHECKPOINT and problem.checkpoint == checkpoint
    assert "rewritten" in problem.message


def test_an_altered_checkpoint_signature_is_named(log: list[AuditEntry]) -> None:
    checkpoint = services.audit_checkpoint()
    assert checkpoint is not None
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditcheckpoint SET signature = %s WHERE id = %s", ["00" * 64, checkpoint.pk])
    problem = verify_chain().problem
    assert problem is not None and problem.kind == Kind.CHECKPOINT and problem.checkpoint == checkpoint
    assert "signature is not valid" in problem.message


def test_a_checkpoint_forged_with_another_key_is_named(log: list[AuditEntry]) -> None:
    """The forger rewrites history and signs a new checkpoint with a key of their own, stored with it."""
    checkpoint = services.audit_checkpoint()
    assert checkpoint is not None
    forger = Ed25519PrivateKey.generate()
    checkpoint.merkle_root = "ab" * 32
    with raw_sql() as cursor:
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET merkle_root = %s, public_key = %s, signature = %s WHERE id = %s",
            [
                checkpoint.merkle_root,
                public_bytes(forger.public_key()).hex(),
                forger.sign(checkpoint.signed_message()).hex(),
                checkpoint.pk,
            ],
        )
    problem = verify_chain().problem
    assert problem is not None and problem.kind == Kind.CHECKPOINT
    assert "not one of this installation's audit signing keys" in problem.message


def test_a_deleted_checkpoint_is_named(log: list[AuditEntry]) -> None:
    first = services.audit_checkpoint()
    write(2)
    services.audit_checkpoint()
    write(2)
    last = services.audit_checkpoint()
    assert first is not None and last is not None
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint WHERE first_seq > %s AND id <> %s", [first.last_seq, last.pk])
    problem = verify_chain().problem
    assert problem is not None and problem.kind == Kind.CHECKPOINT and problem.checkpoint == last


def test_no_checkpoint_vouches_for_a_tampered_log(log: list[AuditEntry]) -> None:
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE seq = %s", [log[1].seq])
    with pytest.raises(services.AuditTampered) as refused:
        services.audit_checkpoint()
    assert refused.value.problem.seq == log[1].seq
    assert not AuditCheckpoint.objects.exists()
