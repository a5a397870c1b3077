"""Insight: city-map counts for a million reports, and Getis-Ord Gi* on 50,000 cells.

Counts: 1,000,000 generated reports (a year, a 15 × 15 km city, 60 % of them around 40 hotspots,
44 categories with skewed frequencies, category as integer ids as a database gives them) →
counts per H3 resolution-9 cell × category × day/night (civil twilight at each report's place and
moment) → small-cell suppression (k = 10) of the cell × (category, day/night) table with its
margins. Targets: < 1 s and < 1 GB. Time is the median of 3 runs after a first, cold one; memory is
the peak resident size of a child process that does only this, beside the size of its input.

Gi*: 50,311 resolution-9 cells (a disk of radius 129 cells), Poisson counts with planted clusters;
neighbourhood = the cell and its 6 neighbours; z, two-sided p, Benjamini–Hochberg FDR, classes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h3
import numpy as np
import scipy

from .common import ROOT
from .common import hardware as common_hardware

N_REPORTS = 1_000_000
TIME_TARGET_S = 1.0
MEMORY_TARGET_MB = 1024.0
GI_RADIUS = 129  # 3·129² + 3·129 + 1 = 50,311 cells
CENTRE = (45.07, 7.68)
CLASS_LABELS = {
    3: "hot 99 %",
    2: "hot 95 %",
    1: "hot 90 %",
    0: "not significant",
    -1: "cold 90 %",
    -2: "cold 95 %",
    -3: "cold 99 %",
}
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class InsightResult:
    cold_s: float
    warm_s: list[float]
    parts: dict[str, float]
    direct_h3_s: float
    peak_mb: float
    input_mb: float
    table: tuple[int, int]
    primary: int
    complementary: int
    gi: dict[str, float]
    gi_cells: int
    gi_classes: dict[int, int]
    hardware: str


def generate(n: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Reports with hotspots; categories are integer ids with Zipf-like frequencies."""
    rng = np.random.default_rng(seed)
    half_deg_lat = 7_500 / 111_195
    half_deg_lon = half_deg_lat / np.cos(np.radians(CENTRE[0]))
    hot = rng.random(n) < 0.6
    spread = rng.uniform(-0.8, 0.8, (40, 2)) * np.array([half_deg_lat, half_deg_lon])
    spots = np.array(CENTRE) + spread
    which = rng.integers(0, 40, n)
    sigma = 300 / 111_195
    lat = np.where(hot, spots[which, 0] + rng.normal(0, sigma, n), CENTRE[0] + rng.uniform(-1, 1, n) * half_deg_lat)
    lon = np.where(
        hot,
        spots[which, 1] + rng.normal(0, sigma, n) / np.cos(np.radians(CENTRE[0])),
        CENTRE[1] + rng.uniform(-1, 1, n) * half_deg_lon,
    )
    start = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)
    times = (start + rng.integers(0, 365 * 86_400, n)).astype("datetime64[s]")
    weights = 1.0 / np.arange(1, 45)
    category = rng.choice(44, size=n, p=weights / weights.sum()).astype(np.int32)
    return {"lat": lat, "lon": lon, "times": times, "category": category}


def _rss_mb(field: str) -> float:
    with Path("/proc/self/status").open() as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def pipeline(data: dict[str, np.ndarray]) -> Any:
    from streetlight.toolkit.geo import aggregate
    from streetlight.toolkit.privacy import suppress_aggregate

    agg = aggregate(
        data["lat"], data["lon"], data["times"], categories=data["category"], by=("cell", "category", "day_night")
    )
    return suppress_aggregate(agg, rows=("cell",), k=10)


def child(path: str) -> None:
    """Run in a fresh process: load the reports, time the pipeline, report the peak memory."""
    from streetlight.toolkit.geo import aggregate, h3_cell_ints, night_mask
    from streetlight.toolkit.geo.aggregate.h3index import _direct
    from streetlight.toolkit.privacy import suppress_aggregate

    data = dict(np.load(path))
    input_mb = _rss_mb("VmRSS")
    t0 = time.perf_counter()
    release = pipeline(data)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        pipeline(data)
        warm.append(time.perf_counter() - t0)
    peak = _rss_mb("VmHWM")
    # The same work in its parts (one run each), and the per-report h3 call it replaces.
    parts: dict[str, float] = {}
    t0 = time.perf_counter()
    cells = h3_cell_ints(data["lat"], data["lon"], 9)
    parts["H3 cells"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    night = night_mask(data["times"], data["lat"], data["lon"])
    parts["day/night"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    agg = aggregate(
        data["lat"], data["lon"], data["times"], categories=data["category"], by=("cell", "category", "day_night"),
        cells=cells, night=night,
    )  # fmt: skip
    parts["grouping and counting"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    suppress_aggregate(agg, rows=("cell",), k=10)
    parts["pivot and suppression"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _direct(data["lat"], data["lon"], 9)
    direct = time.perf_counter() - t0
    table = release.table
    out = {
        "cold_s": cold,
        "warm_s": warm,
        "parts": parts,
        "direct_h3_s": direct,
        "peak_mb": peak,
        "input_mb": input_mb,
        "table": [int(table.values.shape[0] - 1), int(table.values.shape[1] - 1)],
        "primary": table.n_primary,
        "complementary": table.n_complementary,
    }
    print(json.dumps(out))


def gi_bench() -> tuple[dict[str, float], int, dict[int, int]]:
    from streetlight.toolkit.hotspots import gi_star, gi_star_geojson, h3_neighbours

    rng = np.random.default_rng(7)
    centre = h3.latlng_to_cell(*CENTRE, 9)
    cells = sorted(h3.grid_disk(centre, GI_RADIUS))
    values = rng.poisson(2.0, len(cells)).astype(float)
    for spot in rng.choice(len(cells), 30, replace=False).tolist():
        for c in h3.grid_disk(cells[spot], 2):
            i = np.searchsorted(cells, c)
            if i < len(cells) and cells[i] == c:
                values[i] += rng.poisson(6)
    timings = {}
    t0 = time.perf_counter()
    weights = h3_neighbours(cells, 1)
    timings["neighbours (sparse weights)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = gi_star(values, weights)
    timings["Gi*, p-values, FDR, classes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    gi_star_geojson(cells, result, values)
    timings["GeoJSON"] = time.perf_counter() - t0
    classes = {int(k): int(v) for k, v in zip(*np.unique(result.classes, return_counts=True), strict=True)}
    return timings, len(cells), classes


def hardware() -> str:
    return common_hardware(f"numpy {np.__version__}, scipy {scipy.__version__}, h3 {h3.__version__}")


def run() -> InsightResult:
    with tempfile.TemporaryDirectory(prefix="streetlight-insight-") as tmp:
        path = Path(tmp) / "reports.npz"
        np.savez(path, **generate(N_REPORTS))
        env = {**os.environ, **SINGLE_THREAD, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.run(
            [sys.executable, "-m", "bench.insight", "--child", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    gi, gi_cells, gi_classes = gi_bench()
    return InsightResult(
        cold_s=counts["cold_s"],
        warm_s=counts["warm_s"],
        parts=counts["parts"],
        direct_h3_s=counts["direct_h3_s"],
        peak_mb=counts["peak_mb"],
        input_mb=counts["input_mb"],
        table=tuple(counts["table"]),  # type: ignore[arg-type]
        primary=counts["primary"],
        complementary=counts["complementary"],
        gi=gi,
        gi_cells=gi_cells,
        gi_classes=gi_classes,
        hardware=hardware(),
    )


def markdown(r: InsightResult, *, measured: str) -> list[str]:
    warm = statistics.median(r.warm_s)
    rows, cols = r.table
    gi_total = sum(r.gi.values())
    return [
        "## Insight",
        "",
        f"Measured {measured}. {r.hardware}.",
        "",
        "**City-map counts.** 1,000,000 generated reports (one year, a 15 × 15 km city, 60 % around 40 "
        "hotspots, 44 categories given as integer ids) → counts per H3 resolution-9 cell × category × "
        "day/night (civil twilight at each report's place and moment) → small-cell suppression (k = 10, "
        "complementary suppression, margins included). Warm time is the median of 3 runs after a cold "
        "first one; memory is the peak resident size of a child process doing only this.",
        "",
        "| measure | measured | target | ratio to target |",
        "|---|---:|---:|---:|",
        f"| time, warm (median of 3) | {warm:.2f} s | 1 s | {warm / TIME_TARGET_S:.2f} |",
        f"| time, cold (first run in the process) | {r.cold_s:.2f} s | 1 s | {r.cold_s / TIME_TARGET_S:.2f} |",
        f"| peak memory (process, input included) | {r.peak_mb:,.0f} MB | 1,024 MB | "
        f"{r.peak_mb / MEMORY_TARGET_MB:.2f} |",
        "",
        f"Input arrays in memory before the run: {r.input_mb:,.0f} MB of resident size (Python, numpy, h3 "
        f"and the 1,000,000 reports). Table: {rows:,} cells × {cols} (category, day/night) columns; "
        f"{r.primary:,} cells (margins included) below k hidden, {r.complementary:,} more hidden as "
        "complements.",
        "",
        "| part (one run each) | time |",
        "|---|---:|",
        *[f"| {name} | {secs:.3f} s |" for name, secs in r.parts.items()],
        f"| *for comparison: one `h3.latlng_to_cell` call per report* | {r.direct_h3_s:.3f} s |",
        "",
        f"**Getis-Ord Gi\\*** on {r.gi_cells:,} H3 resolution-9 cells (k = 1 ring, self included; Poisson "
        "counts with 30 planted clusters): "
        + ", ".join(f"{name} {secs:.3f} s" for name, secs in r.gi.items())
        + f"; {gi_total:.2f} s in all. Classes after FDR: "
        + ", ".join(f"{CLASS_LABELS[k]} {v:,}" for k, v in sorted(r.gi_classes.items(), reverse=True))
        + ".",
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.path.insert(0, str(ROOT / "src"))
        res = run()
        print("\n".join(markdown(res, measured=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))))
