"""Writing the chain: numbered, linked, hashed the same way it is checked, gapless after a rollback,
sealed by checkpoints; and append-only below the ORM too, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from streetlight.accounts.models import User
from streetlight.audit import services
from streetlight.audit.chain import CHAINED_FIELDS, GENESIS, entry_hash, merkle_root
from streetlight.audit.models import AppendOnlyError, AuditCheckpoint, AuditEntry
from streetlight.audit.verification import verify_chain

from .conftest import only_postgresql, write

pytestmark = pytest.mark.django_db


def test_entries_are_numbered_and_each_links_to_the_one_before() -> None:
    first, second, third = write(3)
    assert [second.seq, third.seq] == [first.seq + 1, first.seq + 2]
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    stored = AuditEntry.objects.filter(pk=third.pk).values(*CHAINED_FIELDS).get()
    assert entry_hash(stored) == third.hash  # the hash written is the one the database gives back


def test_the_very_first_entry_starts_from_the_genesis_hash() -> None:
    write(1)
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None and first.seq == 1 and first.prev_hash == GENESIS


def test_an_entry_rolled_back_with_its_change_leaves_no_gap() -> None:
    [before] = write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(actor=None, action="test.rolled_back")
        raise RuntimeError("the change failed")
    [after] = write(1)
    assert after.seq == before.seq + 1 and after.prev_hash == before.hash
    assert verify_chain().ok


def test_data_hashes_alike_on_every_database() -> None:
    """PostgreSQL's jsonb returns 1e20 as 100000000000000000000 and 1.5e-07 as 0.00000015."""
    user = User.objects.create_user("hash-check")
    services.record(
        actor=user,
        action="test.awkward_data",
        target=user,
        data={"big": 1e20, "small": 1.5e-7, "whole": 2.0, "tuple": (1, 2), "nested": {"é": [None, True, "ß"]}},
    )
    assert verify_chain().ok


def test_a_clean_log_verifies_after_many_writes_and_checkpoints() -> None:
    users = [User.objects.create_user(f"writer-{i}") for i in range(3)]
    for i in range(250):
        services.record(actor=users[i % 3], action=f"test.kind_{i % 7}", target=users[i % 3], data={"i": i})
        if i % 100 == 99:
            assert services.audit_checkpoint() is not None
    result = verify_chain()
    assert result.ok, result.problem
    assert result.entries == AuditEntry.objects.count() and result.checkpoints == 2
    assert result.unsigned == 50


def test_a_checkpoint_covers_only_what_is_new_and_chains_the_previous_root() -> None:
    write(3)
    first = services.audit_checkpoint()
    assert first is not None and services.audit_checkpoint() is None  # nothing new to sign
    write(2)
    second = services.audit_checkpoint()
    assert second is not None and second.first_seq == first.last_seq + 1
    hashes = list(AuditEntry.objects.filter(seq__gte=second.first_seq).values_list("hash", flat=True))
    assert second.merkle_root == merkle_root(previous_root=first.merkle_root, hashes=hashes)


def test_the_merkle_root_depends_on_every_hash_and_their_order() -> None:
    a, b, c = ("a" * 64), ("b" * 64), ("c" * 64)
    roots = {merkle_root(previous_root=GENESIS, hashes=h) for h in ([a, b, c], [b, a, c], [a, b], [a, b, a])}
    assert len(roots) == 4


def test_the_orm_refuses_to_change_or_delete_entries_and_checkpoints() -> None:
    [entry] = write(1)
    checkpoint = services.audit_checkpoint()
    assert checkpoint is not None
    for attempt in (entry.save, entry.delete, checkpoint.save, checkpoint.delete):
        with pytest.raises(AppendOnlyError):
            attempt()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()


@only_postgresql
@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET action = 'x'", "DELETE FROM audit_auditentry"])
def test_postgresql_refuses_raw_updates_and_deletes(statement: str) -> None:
    write(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
