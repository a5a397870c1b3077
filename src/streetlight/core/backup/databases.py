"""The database part of a backup: a consistent copy out of SQLite or PostgreSQL, all of it back in."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from . import DATABASE_MEMBERS, BackupError

# Tables `migrate` fills by itself: a database with rows only there holds no data of the city's.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
CHUNK = 1 << 20


def _applied(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups cover SQLite and PostgreSQL databases, not {connection.vendor}.")
    return connection.vendor


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's version "
            "(Debian: apt-get install postgresql-client)."
        )
    return found


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database, so no password shows in a process list."""
    db = settings.DATABASES["default"]
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def _sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def dump(kind: str, target: Path) -> dict[str, list[str]]:
    """Write a consistent copy of the database (`kind` is its vendor) to `target`; return the
    migrations it holds."""
    if kind == "sqlite":
        if not _sqlite_path().is_file():
            raise BackupError(f"There is no database at {_sqlite_path()}: nothing to back up.")
        # One backup step holds one read transaction: a snapshot, while the server keeps writing (WAL).
        with closing(sqlite3.connect(_sqlite_path())) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            return _applied(copy.execute("SELECT app, name FROM django_migrations"))
    migrations = _applied(MigrationRecorder(connection).applied_migrations())
    _run([_program("pg_dump"), "--format=custom", "--file", str(target)], "pg_dump")
    return migrations


def holds_data() -> bool:
    """Rows in any table but the ones `migrate` fills by itself."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - BOOKKEEPING_TABLES):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - names from introspection
            if cursor.fetchone() is not None:
                return True
    return False


def _restore_postgres(staged: Path) -> None:
    """pg_restore's script (--clean --if-exists) run by psql in one transaction that first drops every
    current table: a schema newer than the backup's would otherwise block the DROPs of --clean. The
    COMMIT is sent only once pg_restore has written everything, so any failure changes nothing."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
    _close_connections()
    prologue = "BEGIN;\n" + (f"DROP TABLE IF EXISTS {', '.join(map(quote, tables))} CASCADE;\n" if tables else "")
    env = _pg_env()
    with tempfile.TemporaryFile() as errors:
        psql = subprocess.Popen(
            [_program("psql"), "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
        command = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(staged)]
        restore = subprocess.Popen([_program("pg_restore"), *command], stdout=subprocess.PIPE, stderr=errors, env=env)
        assert psql.stdin is not None and restore.stdout is not None
        try:
            psql.stdin.write(prologue.encode())
            shutil.copyfileobj(restore.stdout, psql.stdin, CHUNK)
            complete = restore.wait() == 0
            if complete:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: the transaction is rolled back
            complete = False
            restore.kill()
            restore.wait()
        if psql.wait() != 0 or not complete:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise BackupError(f"Restoring the PostgreSQL dump failed, nothing was changed: {message}")


def _close_connections() -> None:
    """Let go of this process's connections (and pool) before the database is replaced under them."""
    connections.close_all()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()  # type: ignore[attr-defined]


def restore(kind: str, staged: Path) -> None:
    """Replace the whole database (`kind` is its vendor) with the copy at `staged`."""
    if kind == "postgresql":
        _restore_postgres(staged)
        return
    _close_connections()
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(staged)) as source, closing(sqlite3.connect(target, timeout=20)) as live:
        source.backup(live)  # one step, under SQLite's lock: other connections see all of it or none


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
