"""Backup verbs: the database and the photos in one checked archive, and its restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from streetlight.cli.base import django_setup

if TYPE_CHECKING:
    from streetlight.core.backup import Manifest


def _summary(manifest: Manifest) -> str:
    migrations = sum(len(names) for names in manifest.migrations.values())
    return (
        f"{manifest.vendor} database, {manifest.media_files} media files, {migrations} migrations applied; "
        f"made {manifest.created_at} by Streetlight {manifest.streetlight_version}"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    """Safe while the server runs: SQLite is copied with its online backup API, PostgreSQL dumped."""
    django_setup()
    from streetlight.core import backup
    from streetlight.core.backup.archive import backup_create

    try:
        result = backup_create(destination=Path(args.output))
    except (backup.BackupError, OSError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backup written to {result.path} ({result.size / 1e6:.1f} MB): {_summary(result.manifest)}.")
    print(backup.NOT_INCLUDED.format(**backup.key_locations()))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Checks every member's SHA-256 and the migrations before it changes anything."""
    django_setup()
    from streetlight.core import backup
    from streetlight.core.backup.archive import backup_restore, backup_verify

    archive = Path(args.archive)
    try:
        if args.check:
            manifest = backup_verify(archive=archive)
            print(f"{archive} is intact: {_summary(manifest)}. Nothing was changed.")
            return 0
        result = backup_restore(archive=archive, force=args.force)
    except backup.BackupError as exc:
        print(f"Restore refused: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {archive}: {_summary(result.manifest)}.")
    if result.migrated:
        print(f"Applied {result.migrated} migrations that came after the backup.")
    keys = backup.key_locations()
    print(
        "The keys are not in backups: this installation uses its own field-encryption keys "
        f"({keys['field_keys']}) and audit signing key ({keys['audit_key']})."
    )
    if result.key_warning:
        print(f"Warning: {result.key_warning}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="write the database and the uploaded photos to one archive")
    p.add_argument("--output", "-o", default=".", help="archive file, or directory for a dated one (default: here)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore an archive made by `streetlight backup` (stop the server first)")
    p.add_argument("archive")
    p.add_argument("--force", action="store_true", help="replace a database that already holds data")
    p.add_argument("--check", action="store_true", help="only check the archive; change nothing")
    p.set_defaults(func=cmd_restore)
