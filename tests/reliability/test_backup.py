"""`streetlight backup` and `streetlight restore` run as an operator runs them, in their own
processes, on SQLite and on PostgreSQL: everything comes back identically, and a damaged, altered or
too-new archive is refused before anything changes."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import secrets
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from streetlight.core.backup import DATABASE_MEMBERS

from .helpers import city, process_env, streetlight, suite_on_postgres, throwaway_postgres


@dataclass
class Installation:
    vendor: str
    data_dir: Path
    database_url: str | None
    env: dict[str, str]
    archive: Path
    backup_output: str
    original: dict[str, Any]

    def snapshot(self) -> dict[str, Any]:
        return json.loads(city(self.env, "snapshot"))

    def wipe(self) -> None:
        """A new machine: no database content and no photos, only the key file put back."""
        shutil.rmtree(self.data_dir / "media", ignore_errors=True)
        if self.database_url is None:
            for suffix in ("", "-wal", "-shm"):
                (self.data_dir / f"streetlight.sqlite3{suffix}").unlink(missing_ok=True)
            return
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def installation(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    """A migrated city with processed reports, encrypted contact details and photos, and its backup."""
    data_dir = tmp_path_factory.mktemp(f"backup-{request.param}")
    with _database(request.param) as database_url:
        env = process_env(data_dir, database_url)
        streetlight(env, "migrate", "--quiet")
        city(env, "seed")
        original = json.loads(city(env, "snapshot"))
        archive = data_dir.parent / f"{data_dir.name}.tar.gz"
        done = streetlight(env, "backup", "--output", str(archive))
        yield Installation(request.param, data_dir, database_url, env, archive, done.stdout, original)


def _database(vendor: str) -> contextlib.AbstractContextManager[str | None]:
    """The installation's own database. Each suite runs its own engine's installations: the
    PostgreSQL suite skips the SQLite ones, which `make test` on SQLite runs the same way."""
    if vendor == "postgresql":
        return throwaway_postgres("sl_backup")
    if suite_on_postgres():
        pytest.skip("an SQLite installation: the SQLite suite runs it")
    return contextlib.nullcontext()


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy an archive member by member, letting `change(name, data)` alter each member's bytes."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            extracted = old.extractfile(member)
            assert extracted is not None
            data = change(member.name, extracted.read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def test_restore_into_an_empty_database_brings_everything_back(installation: Installation) -> None:
    installation.wipe()
    streetlight(installation.env, "migrate", "--quiet")
    done = streetlight(installation.env, "restore", str(installation.archive))
    assert "Restored" in done.stdout
    restored = installation.snapshot()
    assert restored == installation.original
    assert len(restored["media"]) == 4
    contacts = [row["fields"] for row in restored["rows"] if row["model"] == "reports.reportcontact"]
    assert {contact["email"] for contact in contacts} == {f"reporter{i}@example.org" for i in range(4)}


def test_restore_over_existing_data_needs_force(installation: Installation) -> None:
    city(installation.env, "change")
    refused = streetlight(installation.env, "restore", str(installation.archive), check=False)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert installation.snapshot() != installation.original
    streetlight(installation.env, "restore", "--force", str(installation.archive))
    assert installation.snapshot() == installation.original


def test_keys_are_not_in_the_archive_and_the_output_says_so(installation: Installation) -> None:
    key_files = [installation.data_dir / name for name in ("field-keys", "audit-signing-key")]
    keys = [line.rsplit(":", 1)[1].encode() for path in key_files if path.exists() for line in path.read_text().split()]
    with tarfile.open(installation.archive, "r:gz") as tar:
        names = tar.getnames()
        contents = [tar.extractfile(member).read() for member in tar.getmembers()]  # type: ignore[union-attr]
    assert names[-1] == "manifest.json"
    assert {name.split("/")[0] for name in names} == {"manifest.json", "media", DATABASE_MEMBERS[installation.vendor]}
    assert not any(key in content for key in keys for content in contents)
    assert "field-encryption keys" in installation.backup_output
    assert "audit signing key" in installation.backup_output


def test_a_damaged_archive_is_refused_cleanly(installation: Installation, tmp_path: Path) -> None:
    data = bytearray(installation.archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    done = streetlight(installation.env, "restore", "--force", str(damaged), check=False)
    assert done.returncode == 1
    assert "damaged" in done.stderr and "Nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_altered_member_fails_its_checksum(installation: Installation, tmp_path: Path) -> None:
    altered = tmp_path / "altered.tar.gz"
    _rewrite(installation.archive, altered, lambda name, data: data + b"\0" if name.startswith("media/") else data)
    done = streetlight(installation.env, "restore", "--force", str(altered), check=False)
    assert done.returncode == 1
    assert "does not match its SHA-256" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_backup_from_newer_code_is_refused(installation: Installation, tmp_path: Path) -> None:
    def future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["reports"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = tmp_path / "newer.tar.gz"
    _rewrite(installation.archive, newer, future)
    done = streetlight(installation.env, "restore", "--force", str(newer), check=False)
    assert done.returncode == 1
    assert "newer Streetlight" in done.stderr and "reports.9999_from_the_future" in done.stderr


def test_restore_warns_when_the_key_ring_cannot_decrypt(installation: Installation) -> None:
    other_keys = ",".join(f"{kid}:{base64.b64encode(secrets.token_bytes(32)).decode()}" for kid in ("k1", "index"))
    env = {**installation.env, "STREETLIGHT_KEYS": other_keys}
    done = streetlight(env, "restore", "--force", str(installation.archive))
    assert "The current key ring cannot decrypt reports." in done.stderr  # the first encrypted column it samples
    assert installation.snapshot() == installation.original


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_an_older_backup_is_restored_then_migrated_forward(vendor: str, tmp_path: Path) -> None:
    """A backup made before an upgrade, restored after it into a freshly migrated database."""
    with _database(vendor) as database_url:
        env = process_env(tmp_path / "data", database_url)
        streetlight(env, "manage", "migrate", "reports", "0001", "--noinput", "-v", "0")
        streetlight(env, "backup", "--output", str(tmp_path / "old.tar.gz"))
        streetlight(env, "migrate", "--quiet")
        done = streetlight(env, "restore", str(tmp_path / "old.tar.gz"))
        assert "migrations that came after the backup" in done.stdout
        assert streetlight(env, "manage", "migrate", "--check", check=False).returncode == 0
