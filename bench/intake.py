"""Intake throughput: raw INSERT+COMMIT/s on the database (the ceiling), then reports/s through the
real HTTP stack (uvicorn, Django, validation, transaction, outbox task, audit entry), and the ratio."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from .common import server

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
    http_per_s: float
    http_requests: int
    concurrency: int
    errors: int

    @property
    def ratio(self) -> float:
        return self.http_per_s / self.raw_per_s


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


def http_reports(env: dict[str, str], n: int, concurrency: int) -> tuple[float, int]:
    with server(env) as base:
        areas = httpx.get(base + "/api/v1/areas").json()
        assert areas, "the bench city has no areas"
        point = (45.07, 7.68)
        errors = 0
        lock = threading.Lock()
        counter = iter(range(n))

        def worker() -> None:
            nonlocal errors
            with httpx.Client(base_url=base, timeout=30) as client:
                client.post("/api/v1/reports", json=report_body(point, -1))  # warm the connection
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    resp = client.post(
                        "/api/v1/reports",
                        json=report_body(point, i),
                        headers={"Idempotency-Key": uuid.uuid4().hex},
                    )
                    if resp.status_code != 201:
                        with lock:
                            errors += 1

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    return n / elapsed, errors


def run(env: dict[str, str], *, n_raw: int = 3000, n_http: int = 1000, concurrency: int = 4) -> IntakeResult:
    raw = raw_inserts(env, n_raw)
    http, errors = http_reports(env, n_http, concurrency)
    return IntakeResult(raw_per_s=raw, http_per_s=http, http_requests=n_http, concurrency=concurrency, errors=errors)
