"""Crash safety on PostgreSQL: `streetlight serve` is killed with SIGKILL in the middle of a steady
stream of reports, just as a burst of them starts to commit, and started again; the client retries
every request that got no answer with the same Idempotency-Key. Every report answered 201 is stored
once and processed once (one task, one triage, one routing), and no retry makes a copy, even of a
report stored before its answer could leave."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from .helpers import ROOT, city, free_port, process_env, streetlight, throwaway_postgres

RATE = 20  # reports per second, sent open-loop: a dead server does not slow the schedule down
REPORTS = 160
KILL_AFTER = 40  # reports sent before a burst of BURST at once; the SIGKILL comes as the burst commits
BURST = 8
UNLIMITED = "1000000/1s"  # the client sends from one address: no rate limit
WAIT = 45.0  # the most the test waits for the server to start or the queue to drain


@dataclass
class Ledger:
    """What the client saw, per Idempotency-Key."""

    references: dict[str, set[str]] = field(default_factory=dict)
    unanswered: set[str] = field(default_factory=set)
    other_statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, key: str, reference: str | None, status: int | None) -> None:
        with self.lock:
            if reference is not None:
                self.references.setdefault(key, set()).add(reference)
                self.unanswered.discard(key)
                return
            self.unanswered.add(key)
            if status is not None:
                self.other_statuses.append(status)


def _report(index: int) -> dict[str, Any]:
    return {
        "category": "theft-bike",
        "description": f"Bike number {index} was stolen from the rack in front of the station.",
        "language": "en",
        "when": {"kind": "now"},
        "location": {"kind": "area", "area": "D01"},
        "consent": {
            "police": True,
            "victim_support": False,
            "social_services": False,
            "city": False,
            "contact": False,
            "public_statistics": True,
        },
    }


def _send(client: httpx.Client, ledger: Ledger, key: str, index: int) -> None:
    try:
        response = client.post("/api/v1/reports", json=_report(index), headers={"Idempotency-Key": key})
    except httpx.TransportError:  # refused, reset, or cut off mid-answer: no answer
        ledger.record(key, None, None)
        return
    if response.status_code == 201:
        ledger.record(key, response.json()["reference"], 201)
    else:
        ledger.record(key, None, response.status_code)


def _start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """A `streetlight` process; its output goes to a file (an unread pipe would fill and stall it)."""
    with log.open("ab") as out:
        command = [sys.executable, "-m", "streetlight.cli", *args]
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    return _start(env, log, "serve", "--no-collectstatic", "--no-access-log", "--port", str(port))


@contextlib.contextmanager
def _stopped_at_exit() -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    try:
        yield processes
    finally:
        for proc in processes:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError("the server did not start")


def _wait_until_processed(url: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with psycopg.connect(url) as conn:
            waiting = conn.execute(
                "SELECT (SELECT count(*) FROM reports_report WHERE processed_at IS NULL)"
                " + (SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING'))"
            ).fetchone()
        if waiting is not None and waiting[0] == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not process every report")


PER_REPORT = """
SELECT r.idempotency_key, r.reference, r.processed_at IS NOT NULL,
  (SELECT count(*) FROM django_tasks_database_dbtaskresult t
    WHERE (t.args_kwargs -> 'kwargs' ->> 'report_id')::bigint = r.id AND t.status = 'SUCCESSFUL'),
  (SELECT count(*) FROM triage_reporttriage g WHERE g.report_id = r.id),
  (SELECT count(*) FROM routing_assignment a WHERE a.report_id = r.id),
  (SELECT count(*) FROM audit_auditentry e WHERE e.target_type = 'reports.report' AND e.target_id = r.id::text
    AND e.action = 'report.created'),
  (SELECT count(*) FROM audit_auditentry e WHERE e.target_type = 'reports.report' AND e.target_id = r.id::text
    AND e.action = 'report.processed'),
  (SELECT count(*) FROM audit_auditentry e WHERE e.target_type = 'reports.report' AND e.target_id = r.id::text
    AND e.action = 'report.routed')
FROM reports_report r
"""


def _kill_while_committing(server: subprocess.Popen[bytes], url: str, burst: list[str]) -> None:
    """SIGKILL as soon as the first report of the burst is committed, while the others are in flight:
    some may then be stored without their answer having left, the case a retry must not duplicate
    (how many is a matter of timing, so it is printed, not asserted)."""
    query = "SELECT count(*) FROM reports_report WHERE idempotency_key = ANY(%s)"
    deadline = time.monotonic() + WAIT
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline and (row := conn.execute(query, [burst]).fetchone()) and not row[0]:
            time.sleep(0.001)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()


@pytest.fixture
def database() -> Iterator[str]:
    with throwaway_postgres("sl_backup_crash") as url:
        yield url


def _stored(url: str, keys: set[str]) -> int:
    with psycopg.connect(url) as conn:
        query = "SELECT count(*) FROM reports_report WHERE idempotency_key = ANY(%s)"
        row = conn.execute(query, [list(keys)]).fetchone()
    return int(row[0]) if row else 0


def test_killed_server_loses_no_answered_report_and_retries_make_no_copy(
    database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="httpx")
    env = process_env(
        tmp_path / "data", database, STREETLIGHT_SUBMIT_RATE=UNLIMITED, STREETLIGHT_PUBLIC_RATE=UNLIMITED, DB_POOL="1"
    )
    streetlight(env, "migrate", "--quiet")
    city(env, "catalog")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    keys = {str(uuid.uuid4()): index for index in range(REPORTS)}
    ledger = Ledger()

    with (
        _stopped_at_exit() as processes,
        httpx.Client(base_url=base, timeout=10) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        processes += [_start(env, log, "worker"), _serve(env, port, log)]
        _wait_until_up(base)
        start = time.monotonic()
        sent = []
        burst = [key for key, index in keys.items() if KILL_AFTER <= index < KILL_AFTER + BURST]
        for key, index in keys.items():
            if key not in burst:
                time.sleep(max(0.0, start + index / RATE - time.monotonic()))
            sent.append(pool.submit(_send, client, ledger, key, index))
            if key == burst[-1]:
                _kill_while_committing(processes[-1], database, burst)
                processes.append(_serve(env, port, log))
        wait(sent)
        no_answer = set(ledger.unanswered)
        stored_unanswered = _stored(database, no_answer)
        _wait_until_up(base)
        deadline = time.monotonic() + WAIT
        while ledger.unanswered and time.monotonic() < deadline:
            wait([pool.submit(_send, client, ledger, key, keys[key]) for key in sorted(ledger.unanswered)])
        _wait_until_processed(database)

    with psycopg.connect(database) as conn:
        rows = conn.execute(PER_REPORT).fetchall()
    stored = {row[0]: row for row in rows}
    duplicates = len(rows) - len(stored) + sum(len(refs) - 1 for refs in ledger.references.values())
    print(
        f"\ncrash safety: sent {REPORTS} at {RATE}/s, SIGKILL during a burst after {KILL_AFTER}; no answer "
        f"{len(no_answer)} "
        f"(of which stored before the retry: {stored_unanswered}); accepted {len(ledger.references)}, "
        f"stored {len(rows)}, duplicates {duplicates}; other statuses {sorted(set(ledger.other_statuses))}"
    )
    assert no_answer, "the kill cut off no request: the test proved nothing"
    assert not ledger.unanswered
    assert set(ledger.references) == set(keys) == set(stored)
    assert duplicates == 0
    for key, references in ledger.references.items():
        assert references == {stored[key][1]}
    # processed; two successful tasks (processing, then triage), one triage, one assignment (police,
    # made by the intake), the audit entries "created" (naming the agency) and "processed", and no
    # separate "routed" entry
    assert {row[2:] for row in rows} == {(True, 2, 1, 1, 1, 1, 0)}
