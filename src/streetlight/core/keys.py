"""Key ring operations: add a key, re-encrypt every encrypted column under the current key."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models, transaction

from . import crypto
from .fields import EncryptedTextField

BATCH = 500


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def key_add() -> str:
    """Put a new key first in the key file (it becomes the current one); returns its id. With keys
    in the environment, the caller prints a line for the operator to add there instead."""
    ring = crypto.keyring()
    number = 1 + max((int(kid[1:]) for kid in ring.keys if kid[:1] == "k" and kid[1:].isdigit()), default=0)
    kid = f"k{number}"
    path = crypto.key_file()
    lines = path.read_text().splitlines()
    path.write_text("\n".join([crypto.new_key_line(kid), *lines]) + "\n")
    crypto.forget_keyring()
    return kid


def _stale(model: type[models.Model], column: str, current: str) -> models.QuerySet[models.Model]:
    """Rows whose value is not yet under the current key (older key, or never encrypted)."""
    prefix = f"{crypto.PREFIX}:{current}:"
    return model._default_manager.exclude(**{column: ""}).exclude(**{f"{column}__startswith": prefix})


def rotate(*, batch: int = BATCH) -> dict[str, int]:
    """Re-encrypt, batch by batch, every value not under the current key. Each batch commits on its
    own, so an interrupted run loses nothing and the next run carries on where it stopped. The
    filter reads raw column values, so it sees which key each one used."""
    current = crypto.keyring().current
    done: dict[str, int] = {}
    for model, fields in encrypted_columns():
        label = model._meta.label
        done[label] = 0
        names = [f.name for f in fields]
        for field in fields:
            column = field.column or field.name
            while True:
                with transaction.atomic():
                    rows = list(_stale(model, column, current).select_for_update()[:batch])
                    for row in rows:
                        row.save(update_fields=names)
                done[label] += len(rows)
                if len(rows) < batch:
                    break
    return done
