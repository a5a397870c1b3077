"""Real processes for the reliability tests: the `streetlight` command in a subprocess, on a data
directory and a database of its own (an SQLite file, or a throw-away PostgreSQL database)."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]


def suite_on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def postgres_url() -> str:
    """The suite's PostgreSQL server (DATABASE_URL), or a skip when the suite runs on SQLite."""
    if not suite_on_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL")
    return os.environ["DATABASE_URL"]


def _with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def throwaway_postgres(prefix: str) -> Iterator[str]:
    """A new, empty database next to DATABASE_URL's, dropped afterwards; yields its URL."""
    url = postgres_url()
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def process_env(data_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment an operator would give the command: its own data directory and database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "STREETLIGHT_KEYS", "STREETLIGHT_KEYS_FILE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "streetlight.settings",
            "STREETLIGHT_DATA_DIR": str(data_dir),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DB_POOL": "0",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def streetlight(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "streetlight.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if check:
        assert done.returncode == 0, f"streetlight {' '.join(args)}: {done.stderr}"
    return done


def city(env: dict[str, str], *args: str) -> str:
    """Run tests/reliability/city.py (data set-up and snapshots through the real code); its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.city", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, f"city {' '.join(args)}: {done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
