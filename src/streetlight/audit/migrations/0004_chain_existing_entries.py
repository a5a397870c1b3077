"""Chain the entries written before the log was hash-chained, in the order they were written (pk).

Uses the same frozen serialisation as record() (streetlight.audit.chain): a chain computed here
must verify later. Rows are updated one by one with a raw queryset update, as the model refuses
updates; on PostgreSQL the append-only trigger is only created in the next migration.
"""

from django.db import migrations

from streetlight.audit.chain import CHAINED_FIELDS, GENESIS, entry_hash

BATCH = 2000


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    rows = AuditEntry.objects.using(schema_editor.connection.alias).order_by("pk")
    names = [name for name in CHAINED_FIELDS if name not in ("seq", "prev_hash")]
    prev, seq, last_pk = GENESIS, 0, 0
    while batch := list(rows.filter(pk__gt=last_pk).values("pk", *names)[:BATCH]):  # read, then write
        for row in batch:
            seq += 1
            digest = entry_hash({**row, "seq": seq, "prev_hash": prev})
            # The historical model's manager is a plain one: this UPDATE is allowed here, and only here.
            rows.filter(pk=row["pk"]).update(seq=seq, prev_hash=prev, hash=digest)
            prev = digest
        last_pk = batch[-1]["pk"]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
    ]
