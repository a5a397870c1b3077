"""Backups of an installation: the database and the uploaded photos in one checked archive.

The archive is a tar.gz with the database (a copy made with SQLite's online backup API, or a
PostgreSQL custom-format `pg_dump`), the media directory under `media/`, and `manifest.json`: the
format version, when it was made, the database vendor, the migrations applied and the SHA-256 of
every other member. Restore checks all of that before it changes anything. The field-encryption keys
and the audit signing key are never inside: a copied backup must not reveal reporters' contact details
or let anyone re-sign the audit log, so those keys are backed up apart.

`archive` makes, checks and restores archives; `databases` copies each vendor's database out and in.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from streetlight.audit import signing
from streetlight.core import crypto

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

NOT_INCLUDED = (
    "Not in the archive, by design: the field-encryption keys ({field_keys}) and the audit signing key "
    "({audit_key}). Back them up separately and keep them apart from this archive: without the field keys, "
    "the reporters' contact details in it cannot be read."
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    created_at: str
    streetlight_version: str
    vendor: str
    migrations: dict[str, list[str]]
    files: dict[str, str]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            manifest = cls(**data)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{MANIFEST} cannot be read ({exc}): this is not a Streetlight backup.") from exc
        if not isinstance(manifest.files, dict) or not isinstance(manifest.migrations, dict):
            raise BackupError(f"{MANIFEST} is malformed: this is not a Streetlight backup.")
        if manifest.format_version != FORMAT_VERSION:
            raise BackupError(
                f"This backup has format version {manifest.format_version!r}; this version of Streetlight "
                f"reads format {FORMAT_VERSION}."
            )
        return manifest

    @property
    def media_files(self) -> int:
        return sum(1 for name in self.files if name.startswith(MEDIA + "/"))


def key_locations() -> dict[str, str]:
    """Where this installation's keys are: an environment variable's name, or a file."""
    return {
        "field_keys": "STREETLIGHT_KEYS" if os.environ.get("STREETLIGHT_KEYS", "").strip() else str(crypto.key_file()),
        "audit_key": signing.ENV if os.environ.get(signing.ENV, "").strip() else str(signing.key_file()),
    }
