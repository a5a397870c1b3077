"""Tampering as someone with direct database access would do it: raw SQL, and on PostgreSQL the
append-only trigger switched off first (inside the test's transaction, so it comes back after)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from streetlight.audit import services
from streetlight.audit.chain import CHAINED_FIELDS, entry_hash
from streetlight.audit.models import AuditEntry

only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

TABLES = {
    "audit_auditentry": "audit_auditentry_append_only",
    "audit_auditcheckpoint": "audit_auditcheckpoint_append_only",
}
PARKED = 10**12  # a number no entry has, to move seq values around without breaking uniqueness


@contextmanager
def raw_sql() -> Iterator[Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's own inserts left deferred foreign-key checks pending, which ALTER TABLE refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in TABLES.items():
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        yield cursor
        if connection.vendor == "postgresql":
            for table, trigger in TABLES.items():
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def write(n: int, *, action: str = "test.written") -> list[AuditEntry]:
    return [
        services.record(actor=None, action=action, data={"n": i, "text": "café ☕", "x": 0.1 * i}) for i in range(n)
    ]


def fields_of(seq: int) -> dict[str, Any]:
    return AuditEntry.objects.filter(seq=seq).values(*CHAINED_FIELDS).get()


def set_seq(cursor: Any, old: int, new: int) -> None:
    cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [new, old])


def shift_up(cursor: Any, after: int) -> None:
    """Make room after entry `after`: every later entry's number goes up by one."""
    cursor.execute("UPDATE audit_auditentry SET seq = seq + %s WHERE seq > %s", [PARKED, after])
    cursor.execute("UPDATE audit_auditentry SET seq = seq - %s WHERE seq > %s", [PARKED - 1, PARKED])


def insert_raw(cursor: Any, fields: dict[str, Any], digest: str) -> None:
    at = connection.ops.adapt_datetimefield_value(fields["at"])
    cursor.execute(
        "INSERT INTO audit_auditentry (seq, at, actor_id, actor_label, action, target_type, target_id, data, "
        "source_address, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            fields["seq"],
            at,
            fields["actor_id"],
            fields["actor_label"],
            fields["action"],
            fields["target_type"],
            fields["target_id"],
            json.dumps(fields["data"]),
            fields["source_address"],
            fields["prev_hash"],
            digest,
        ],
    )


def rehash_from(cursor: Any, seq: int) -> None:
    """What a careful forger does after a change: recompute every hash and link from `seq` on."""
    prev = AuditEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
    for fields in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values(*CHAINED_FIELDS):
        fields = {**fields, "prev_hash": prev or fields["prev_hash"]}
        prev = entry_hash(fields)
        cursor.execute(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
            [fields["prev_hash"], prev, fields["seq"]],
        )
