"""Make, check and restore backup archives."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from streetlight.audit import signing
from streetlight.core import crypto
from streetlight.core.keys import encrypted_columns

from . import DATABASE_MEMBERS, FORMAT_VERSION, MANIFEST, MEDIA, BackupError, Manifest, databases, key_locations
from .databases import CHUNK


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    migrated: int
    key_warning: str | None


def _software_version() -> str:
    try:
        return version("streetlight")
    except PackageNotFoundError:
        return "unknown"


class _Hashing:
    """A reader that hashes what passes through it, so each file is read once."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> str:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as raw:
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


def _secret_paths() -> set[Path]:
    keys = [crypto.key_file(), signing.key_file(), Path(settings.DATA_DIR) / "secret_key"]
    return {path.resolve() for path in keys}


def _media_files() -> list[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT (links are not followed), never a key that was put there."""
    root = Path(settings.MEDIA_ROOT)
    secrets = _secret_paths()
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for filename in sorted(files):
            path = Path(folder) / filename
            if path.is_file() and not path.is_symlink() and path.resolve() not in secrets:
                found.append((f"{MEDIA}/{path.relative_to(root).as_posix()}", path))
    return found


def backup_create(*, destination: Path) -> BackupResult:
    """Write an archive to `destination` (a file, or a directory to put a dated file in). It is
    written under a temporary name and renamed when complete, readable by its owner only."""
    vendor = databases.vendor()
    now = datetime.now(UTC)
    if destination.is_dir():
        destination = destination / f"streetlight-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="streetlight-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        migrations = databases.dump(vendor, dump)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                files = {dump.name: _add(tar, dump, dump.name)}
                files.update((name, _add(tar, path, name)) for name, path in _media_files())
                manifest = Manifest(
                    format_version=FORMAT_VERSION,
                    created_at=now.isoformat(timespec="seconds"),
                    streetlight_version=_software_version(),
                    vendor=vendor,
                    migrations=migrations,
                    files=files,
                )
                (Path(work) / MANIFEST).write_bytes(manifest.to_json())
                _add(tar, Path(work) / MANIFEST, MANIFEST)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(destination)
    return BackupResult(path=destination, size=destination.stat().st_size, manifest=manifest)


def _member_allowed(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts or "\\" in member.name:
        return False
    in_media = len(path.parts) > 1 and path.parts[0] == MEDIA
    return member.name == MANIFEST or member.name in DATABASE_MEMBERS.values() or in_media


def _extract(archive: Path, into: Path) -> dict[str, str]:
    digests: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not _member_allowed(member) or member.name in digests:
                    raise BackupError(f"{archive}: unexpected member {member.name!r}; not a Streetlight backup.")
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                digests[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{archive} is damaged or is not a Streetlight backup ({exc}). Nothing was changed.") from exc
    return digests


def backup_check(*, archive: Path, into: Path) -> Manifest:
    """Unpack `archive` into `into` and check every member against the manifest's SHA-256."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    digests = _extract(archive, into)
    if MANIFEST not in digests:
        raise BackupError(f"{archive} has no {MANIFEST}: not a Streetlight backup. Nothing was changed.")
    del digests[MANIFEST]
    manifest = Manifest.from_json((into / MANIFEST).read_bytes())
    problems = [f"{name} is listed but missing" for name in sorted(set(manifest.files) - set(digests))]
    problems += [f"{name} is not in the manifest" for name in sorted(set(digests) - set(manifest.files))]
    problems += [
        f"{name} does not match its SHA-256"
        for name in sorted(set(digests) & set(manifest.files))
        if digests[name] != manifest.files[name]
    ]
    if DATABASE_MEMBERS.get(manifest.vendor) not in digests:
        problems.append(f"no database for vendor {manifest.vendor!r}")
    if problems:
        raise BackupError(f"{archive} fails its checks: {'; '.join(problems)}. Nothing was changed.")
    return manifest


def backup_verify(*, archive: Path) -> Manifest:
    """Check an archive without touching the installation (for restore drills and after copies)."""
    with tempfile.TemporaryDirectory(prefix="streetlight-verify-") as work:
        return backup_check(archive=archive, into=Path(work))


def _check_compatible(manifest: Manifest) -> None:
    vendor = databases.vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"This backup holds a {manifest.vendor} database and this installation uses {vendor} "
            f"(DATABASE_URL): restore it into a {manifest.vendor} database. Nothing was changed."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}" for app, names in manifest.migrations.items() for name in names if (app, name) not in known
    ]
    if unknown:
        listed = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise BackupError(
            f"This backup comes from a newer Streetlight (version {manifest.streetlight_version}): its database has "
            f"migrations this code does not know ({listed}). Install that version or a later one, then restore. "
            "Nothing was changed."
        )


def _swap_media(staged: Path) -> None:
    """Put the restored media directory in place by renames, so no mix of old and new remains."""
    root = Path(settings.MEDIA_ROOT)
    staged.mkdir(exist_ok=True)
    previous = root.with_name(f".{root.name}-before-restore")
    shutil.rmtree(previous, ignore_errors=True)
    if root.exists():
        root.rename(previous)
    staged.rename(root)
    shutil.rmtree(previous, ignore_errors=True)


def key_ring_warning() -> str | None:
    """Why the current key ring cannot read the restored encrypted columns, or None when one sample
    value per encrypted column decrypts. A missing key file is reported, not created (reading would
    create a new, useless one)."""
    no_keys = not os.environ.get("STREETLIGHT_KEYS", "").strip() and not crypto.key_file().exists()
    for model, fields in encrypted_columns():
        for field in fields:
            stored = model._default_manager.exclude(**{field.name: ""})
            if not stored.exists():
                continue
            if no_keys:
                return (
                    f"There is no field-encryption key file at {crypto.key_file()}: put back the copy kept apart "
                    "from the backups before starting the server, or the reporters' contact details stay unreadable."
                )
            try:
                stored.values_list(field.name, flat=True).first()
            except crypto.KeyRingError as exc:
                return (
                    f"The current key ring cannot decrypt {model._meta.label}.{field.name} ({exc}). Put back the "
                    f"key file that was in use when the backup was made ({key_locations()['field_keys']})."
                )
    return None


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Check the archive, then replace the database and the media directory with its content and
    apply the migrations the backup predates. Without `force`, only into a database holding no data."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))  # same disk: renames
    try:
        manifest = backup_check(archive=archive, into=staging)
        _check_compatible(manifest)
        if not force and databases.holds_data():
            raise BackupError(
                "The database already holds data: restoring replaces all of it. Run again with --force to "
                "go ahead. Nothing was changed."
            )
        databases.restore(manifest.vendor, staging / DATABASE_MEMBERS[manifest.vendor])
        _swap_media(staging / MEDIA)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    migrated = databases.pending_migrations()
    if migrated:
        call_command("migrate", "--noinput", "-v", "0")
    return RestoreResult(manifest=manifest, migrated=migrated, key_warning=key_ring_warning())
