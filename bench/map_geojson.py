"""The analysts' map data for the demo city: GET /insight/cells.geojson over a year of reports,
through `streetlight serve`, as a signed-in analyst. Target: under 200 ms."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

from .common import server, staff_session, streetlight

TARGET_MS = 200.0


@dataclass
class MapResult:
    reports: int
    features: int
    median_ms: float
    p95_ms: float


def run(env: dict[str, str], *, reports: int = 2000, requests: int = 20) -> MapResult:
    streetlight(env, "demo", "--reports", str(reports), "--force", "--no-staff")
    session = staff_session(env, "bench-analyst", "analyst")
    with server(env) as base, httpx.Client(base_url=base, cookies={"sessionid": session}, timeout=30) as client:
        first = client.get("/insight/cells.geojson", params={"res": 8})
        first.raise_for_status()
        features = len(first.json()["features"])
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            client.get("/insight/cells.geojson", params={"res": 8}).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return MapResult(reports, features, statistics.median(times), times[int(0.95 * (len(times) - 1))])


def markdown(result: MapResult) -> list[str]:
    return [
        "## Analysts' map",
        "",
        f"`GET /insight/cells.geojson?res=8` for the demo city with {result.reports} generated reports over a year, "
        "through `streetlight serve` (one process, SQLite), signed in as an analyst: the reports are read, "
        "counted per H3 cell and main category, and written as GeoJSON hexagons.",
        "",
        "| reports | hexagons | median | p95 | target | median / target |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {result.reports} | {result.features} | {result.median_ms:.1f} ms | {result.p95_ms:.1f} ms | "
        f"{TARGET_MS:.0f} ms | {result.median_ms / TARGET_MS:.2f} |",
    ]
