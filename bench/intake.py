"""Intake: raw INSERT+COMMIT/s on the database; a floor endpoint (the same server and middleware,
one INSERT) and reports/s through the real HTTP stack (validation, transaction, outbox task, audit
entry) at full speed; the report latency at a steady rate; a web process's memory over many requests."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from dataclasses import dataclass
from typing import Any

from . import loadgen
from .common import ROOT, CpuSplit, cpu_split, server

RAW_INSERT_CODE = r"""
import json, sys, time, django
django.setup()
from django.db import connection, transaction
n = int(sys.argv[1])
with connection.cursor() as c:
    c.execute("DROP TABLE IF EXISTS bench_floor")
    c.execute("CREATE TABLE bench_floor (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
payload = "x" * 400
start = time.perf_counter()
for i in range(n):
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO bench_floor (id, payload) VALUES (%s, %s)", [i, payload])
elapsed = time.perf_counter() - start
with connection.cursor() as c:
    c.execute("DROP TABLE bench_floor")
print(json.dumps({"n": n, "seconds": elapsed}))
"""


@dataclass
class IntakeResult:
    raw_per_s: float
    floor: loadgen.Outcome
    reports: loadgen.Outcome
    steady: loadgen.Outcome
    steady_rate: float
    workers: int
    concurrency: int
    floor_cpu: CpuSplit
    reports_cpu: CpuSplit

    @property
    def ratio(self) -> float:
        """Our intake as a share of the floor endpoint on the same server."""
        return self.reports.per_s / self.floor.per_s


def raw_inserts(env: dict[str, str], n: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", RAW_INSERT_CODE, str(n)], env=env, check=True, capture_output=True, text=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["n"] / data["seconds"])


def report_body(point: tuple[float, float], i: int) -> dict[str, Any]:
    return {
        "category": "theft-bike",
        "description": f"Bench report {i}: my bike was taken from the rack near the station.",
        "location": {"kind": "point", "lat": point[0], "lon": point[1], "precision_m": 20},
        "consent": {
            "police": True,
            "victim_support": False,
            "social_services": False,
            "city": True,
            "contact": False,
            "public_statistics": True,
        },
    }


POINT = (45.07, 7.68)


def report_request(i: int) -> bytes:
    return loadgen.post_json("/api/v1/reports", report_body(POINT, i), headers={"Idempotency-Key": uuid.uuid4().hex})


def floor_request(i: int) -> bytes:
    return loadgen.post_json("/bench/floor", report_body(POINT, i))


FLOOR_TABLE_SQL = {  # for bench/floor_urls.py
    "postgresql": "CREATE TABLE bench_floor (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)",
    "sqlite": "CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
}

CREATE_FLOOR_CODE = r"""
import sys, django
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute("DROP TABLE IF EXISTS bench_floor")
    c.execute(sys.argv[1] if connection.vendor == "sqlite" else sys.argv[2])
"""


def floor_env(env: dict[str, str]) -> dict[str, str]:
    """The bench's server: the platform plus the floor endpoint, with its table created."""
    subprocess.run(
        [sys.executable, "-c", CREATE_FLOOR_CODE, FLOOR_TABLE_SQL["sqlite"], FLOOR_TABLE_SQL["postgresql"]],
        env=env,
        check=True,
    )
    return {**env, "STREETLIGHT_URLCONF": "bench.floor_urls", "PYTHONPATH": str(ROOT)}


def run(
    env: dict[str, str],
    *,
    n_raw: int = 3000,
    n_http: int = 3000,
    concurrency: int = 8,
    workers: int = 2,
    steady_rate: float = 200.0,
    steady_n: int = 2000,
) -> IntakeResult:
    raw = raw_inserts(env, n_raw)
    with server(floor_env(env), workers=workers) as base:
        loadgen.closed_loop(base, floor_request, n=200, concurrency=concurrency)  # warm every worker
        loadgen.closed_loop(base, report_request, n=200, concurrency=concurrency)
        with cpu_split(base.pid, lambda: floor.sent) as floor_cpu:
            floor = loadgen.closed_loop(base, floor_request, n=n_http, concurrency=concurrency)
        with cpu_split(base.pid, lambda: reports.sent) as reports_cpu:
            reports = loadgen.closed_loop(base, report_request, n=n_http, concurrency=concurrency)
        steady = loadgen.open_loop(base, report_request, rate=steady_rate, n=steady_n)
    return IntakeResult(
        raw_per_s=raw,
        floor=floor,
        reports=reports,
        steady=steady,
        steady_rate=steady_rate,
        workers=workers,
        concurrency=concurrency,
        floor_cpu=floor_cpu,
        reports_cpu=reports_cpu,
    )
