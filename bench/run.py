"""`make bench`: run the benchmarks on SQLite and, when reachable, PostgreSQL; write
docs/benchmarks.md. Every figure is also given as a ratio to a ceiling measured in the same run."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    forecast,
    fuzz,
    insight,
    intake,
    intake_profile,
    live,
    map_geojson,
    memory,
    page_weight,
    posts,
    triage,
)
from bench.common import ROOT, cpu_model, prepared_city

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PAGE_BUDGET = 150 * 1024
OUT = ROOT / "docs" / "benchmarks.md"


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


def triage_lines() -> list[str]:
    print("triage: quality on SafeCity, GermEval 2018, CrisisLex T26; speed", flush=True)
    result = triage.run()
    if result.speed is not None:
        print(
            f"triage: batch {result.speed.batch_per_s:,.0f} texts/s, one text p50 {result.speed.single_p50_ms:.3f} ms "
            f"(p99 {result.speed.single_p99_ms:.3f} ms), {result.seconds:.0f} s in all"
        )
    return triage.markdown(result, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def forecast_lines() -> list[str]:
    print("forecast: Chicago reference oracle, all methods, tuning, speed; Houston context", flush=True)
    result = forecast.run()
    print(f"forecast: {result.seconds:.0f} s in all; 3-method backtest {result.baseline_seconds:.1f} s")
    return forecast.markdown(result, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def posts_lines() -> list[str]:
    print("posts: geotagging quality and speed, burst detection speed and latency", flush=True)
    result = posts.run()
    q = result.quality
    print(f"posts: geotag precision {q.precision:.3f}, recall {q.recall:.3f}")
    for s in result.speeds:
        print(f"posts: geotag {s.label} ({s.places:,} places) {s.per_s:,.0f} posts/s (ceiling {s.ceiling_per_s:,.0f})")
    b = result.bursts
    print(f"posts: bursts {b.per_s:,.0f} posts/s, crossing call p50 {b.crossing_p50_us:.1f} µs")
    return posts.markdown(result, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def map_lines() -> list[str]:
    with prepared_city(None) as env:
        result = map_geojson.run(env)
    print(f"map: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms for {result.features} hexagons")
    return map_geojson.markdown(result)


def insight_lines() -> list[str]:
    print("insight: 1,000,000 reports to H3 counts with suppression; Gi* on 50,000 cells", flush=True)
    result = insight.run()
    print(f"insight: warm {min(result.warm_s):.2f}-{max(result.warm_s):.2f} s, peak {result.peak_mb:.0f} MB")
    return insight.markdown(result, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def fuzz_lines() -> list[str]:
    print(f"fuzz: schemathesis on /api/v1 and Open311, {fuzz.EXAMPLES} examples per operation", flush=True)
    result = fuzz.run()
    print(f"fuzz: {result.cases:,} cases, {len(result.failed)} failing operations, {result.seconds:.0f} s")
    return fuzz.markdown(result, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def crisislex_lines() -> list[str]:
    from bench import crisislex

    print("crisislex: posts relevance and information type, in-event vs cross-event; analysis throughput", flush=True)
    quality = crisislex.run()
    if quality is None:
        print(f"crisislex: no data at {crisislex.FOLDER}, quality skipped")
    else:
        print(
            f"crisislex: relevance macro-F1 in-event {quality['relevance']['in_event_macro_f1']:.3f}, "
            f"cross-event {quality['relevance']['cross_event_macro_f1']:.3f}, {quality['seconds']:.0f} s"
        )
    speed = crisislex.analysis_throughput()
    print(f"crisislex: {speed['posts_per_s']:,.0f} posts/s through PostAnalyser.analyse_many")
    return crisislex.markdown(quality, speed, measured=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def live_lines(args: argparse.Namespace) -> list[str]:
    runs, fanouts = [], []
    for rate in (args.rate, args.rate / 2):  # the target, and half of it
        with prepared_city(POSTGRES_URL) as env:
            runs.append(live.run(env, streams=args.streams, n=args.live_reports, rate=rate, web_workers=args.workers))
        print(f"live at {rate:.0f}/s: p50 {runs[-1].p50_ms:.1f} ms, p99 {runs[-1].p99_ms:.1f} ms")
    for rate in (args.rate, args.rate * 2.5):  # the target, and well above it
        with prepared_city(POSTGRES_URL) as env:
            fanouts.append(
                live.run_fanout(env, streams=args.streams, n=int(rate * 20), rate=rate, web_workers=args.workers)
            )
        print(f"fan-out at {rate:.0f}/s: p50 {fanouts[-1].p50_ms:.1f} ms, p99 {fanouts[-1].p99_ms:.1f} ms")
    r0 = runs[0]
    return [
        "## Live stream",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine_line()}.",
        "",
        f"End to end on PostgreSQL: reports sent over HTTP at a steady rate to `streetlight serve` "
        f"({r0.web_workers} processes), which routes each in its intake transaction (PostgreSQL NOTIFY, "
        "carrying the change, reaches every web process at the commit), received on "
        f"{args.streams} Server-Sent Events streams held by an "
        f"operator of the police, with {r0.task_workers} `streetlight worker` processes doing the rest "
        "(public location, e-mails, webhooks, triage) meanwhile. Latency from the moment a report is "
        "accepted (its 201 reaches the sender) to its arrival on each stream, and from the moment it was "
        "sent (the intake's own time included); the ceiling is the 100 ms target. Everything — the sender, "
        "PostgreSQL, the web and task workers (at a lower CPU priority) and the 50 readers — shares the same "
        "two cores. When the rate asked for is above what the intake accepts on these cores (see the intake "
        "section), the sender waits for answers: the achieved rate is the intake's capacity, and the time "
        "from sending grows with the queue while the time from acceptance does not.",
        "",
        "| target rate | achieved rate | accepted | streams | delivered | p50 | p99 | max | p99 from sending "
        "| p99 / 100 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r.rate:.0f}/s | {r.achieved_rate:.0f}/s | {r.accepted} | {r.streams} | {r.delivered_share:.1%} | "
            f"{r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms | {r.max_ms:.1f} ms | {r.sent_p99_ms:.1f} ms | "
            f"{r.p99_ms / 100:.2f} |"
            for r in runs
        ),
        "",
        "The fan-out alone: another process commits changes at a steady rate, each in its own transaction "
        "with its NOTIFY as the intake writes it, to the same web processes and streams (no task workers). "
        "Latency from each commit to its arrival on each stream.",
        "",
        "| rate | achieved rate | changes | streams | delivered | p50 | p99 | max | p99 / 100 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {f.rate:.0f}/s | {f.achieved_rate:.0f}/s | {f.changes} | {f.streams} | {f.delivered_share:.1%} | "
            f"{f.p50_ms:.1f} ms | {f.p99_ms:.1f} ms | {f.max_ms:.1f} ms | {f.p99_ms / 100:.2f} |"
            for f in fanouts
        ),
    ]


def replace_section(document: str, section: list[str]) -> str:
    """Put `section` (starting with its "## " heading) in place of the section with the same heading,
    or at the end, leaving every other section of the document as it was."""
    while section and not section[-1].strip():
        section = section[:-1]
    heading = section[0]
    lines = document.rstrip("\n").split("\n") if document.strip() else ["# Benchmarks"]
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = [*section, ""] if end < len(lines) else section
    else:
        lines += ["", *section]
    return "\n".join(lines).rstrip("\n") + "\n"


def machine_line() -> str:
    """Cores, CPU, Python and the database server's version: what the intake and live figures depend on."""
    server = "PostgreSQL not reachable"
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://"), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            server = f"PostgreSQL {row[0].split()[0]}" if row else server
    import sqlite3

    return (
        f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{server}; the load generator, the server, its workers and the database share these cores"
    )


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def intake_lines(args: argparse.Namespace) -> tuple[list[str], page_weight.PageWeight, bool]:
    """The intake section (SQLite, and PostgreSQL when reachable, where the targets apply), the
    report form's weight measured on the first city, and whether PostgreSQL was there."""
    lines = [
        "## Intake",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine_line()}.",
        "",
        f"`streetlight serve` (uvicorn, {args.workers} worker processes) on 127.0.0.1, loaded by an asyncio "
        f"client on the same machine with {args.concurrency} keep-alive connections. **Floor**: the same "
        "server, settings and middleware serving an endpoint that does nothing but one `INSERT` "
        "(`bench/floor_urls.py`). **Reports**: `POST /api/v1/reports` with validation, the report's "
        "transaction (report, status row, follow-up token, routing with its assignments and stream event, "
        "audit entry, outbox task) and its answer. "
        f"**Steady**: reports sent at {args.steady_rate:.0f}/s whatever the answers (latency counted from "
        "when each was due). **Raw**: `INSERT`+`COMMIT` per second on the database, one connection, no HTTP.",
        "",
        "| database | raw INSERT+COMMIT/s | floor/s | reports/s | reports / floor | "
        f"p50 at {args.steady_rate:.0f}/s | p99 at {args.steady_rate:.0f}/s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    databases: list[tuple[str, str | None]] = [("SQLite (file, WAL)", None)]
    if postgres_reachable():
        databases.append(("PostgreSQL", POSTGRES_URL))
    weight = None
    targets: list[str] = []
    profile_lines: list[str] = []
    cpu_rows: list[str] = []
    for name, url in databases:
        with prepared_city(url) as env:
            r = intake.run(
                env,
                n_raw=args.raw,
                n_http=args.http,
                concurrency=args.concurrency,
                workers=args.workers,
                steady_rate=args.steady_rate,
                steady_n=args.steady_n,
            )
            p50, p99 = r.steady.percentile(50) * 1000, r.steady.percentile(99) * 1000
            errors = r.floor.errors(201) + r.reports.errors(201) + r.steady.errors(201)
            print(
                f"{name}: raw {r.raw_per_s:.0f}/s, floor {r.floor.per_s:.0f}/s, reports {r.reports.per_s:.0f}/s "
                f"(ratio {r.ratio:.2f}), steady p50 {p50:.1f} ms p99 {p99:.1f} ms, errors {errors}"
            )
            lines.append(
                f"| {name} | {r.raw_per_s:,.0f} | {r.floor.per_s:,.0f} | {r.reports.per_s:,.0f} | {r.ratio:.2f} | "
                f"{p50:.1f} ms | {p99:.1f} ms | {errors} |"
            )
            for what, split in (("floor request", r.floor_cpu), ("report", r.reports_cpu)):
                cpu_rows.append(
                    f"| {name} | {what} | {split.web_ms:.2f} | {split.database_ms:.2f} | {split.loadgen_ms:.2f} | "
                    f"{split.total_ms:.2f} |"
                )
            if url is not None:
                targets += [
                    f"| intake share of the floor | floor {r.floor.per_s:,.0f}/s | {r.reports.per_s:,.0f}/s | "
                    f"{r.ratio:.2f} | ≥ 0.70 | {_met(r.ratio >= 0.7)} |",
                    f"| intake rate | 400/s | {r.reports.per_s:,.0f}/s | {r.reports.per_s / 400:.2f} | ≥ 1 | "
                    f"{_met(r.reports.per_s >= 400)} |",
                    f"| intake p99 at {args.steady_rate:.0f}/s | 50 ms | {p99:.1f} ms | {p99 / 50:.2f} | < 1 | "
                    f"{_met(p99 < 50)} |",
                ]
                mem = memory.run(env, n=args.memory_requests, workers=args.workers, concurrency=args.concurrency)
                print(
                    f"memory: {mem.requests:,} requests in {mem.seconds:.0f} s, warm {mem.warm_mb} MB, "
                    f"end {mem.end_mb} MB, errors {mem.errors}"
                )
                each = ", ".join(f"{w:.0f} → {e:.0f}" for w, e in zip(mem.warm_mb, mem.end_mb, strict=False))
                targets.append(
                    f"| web process memory after {mem.requests:,} requests | 250 MB | largest {mem.peak_mb:.0f} MB "
                    f"(each process: {each} MB from warm-up to the end) | {mem.peak_mb / 250:.2f} | < 1 | "
                    f"{_met(mem.peak_mb < 250)} |"
                )
                profile = intake_profile.run(env)
                print(f"intake profile: {profile.total_ms:.2f} ms per report in one process")
                profile_lines = intake_profile.markdown(profile)
            if weight is None:
                weight = page_weight.measure(env)
    assert weight is not None
    if targets:
        lines += [
            "",
            "Targets, on PostgreSQL (each figure against its ceiling or target, measured in the same run):",
            "",
            "| target | ceiling | ours | ratio | goal | |",
            "|---|---:|---:|---:|---:|---|",
            *targets,
        ]
    lines += [
        "",
        "Where the two cores go, per request of the full-speed runs above: CPU time of the web processes, "
        "of PostgreSQL's server processes and of the load generator, read from `/proc` around each run "
        "(SQLite works inside the web processes). The share of the floor is the floor's CPU time over a "
        "report's.",
        "",
        "| database | request | web processes, ms | PostgreSQL, ms | load generator, ms | all, ms |",
        "|---|---|---:|---:|---:|---:|",
        *cpu_rows,
    ]
    if profile_lines:
        lines += ["", *profile_lines]
    return lines, weight, len(databases) > 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", type=int, default=3000, help="reports (and floor requests) sent at full speed")
    parser.add_argument("--raw", type=int, default=3000, help="raw INSERT+COMMITs")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive connections of the load generator")
    parser.add_argument("--workers", type=int, default=2, help="web processes of `streetlight serve`")
    parser.add_argument("--steady-rate", type=float, default=200.0, help="reports per second for the latency run")
    parser.add_argument("--steady-n", type=int, default=2000, help="reports sent in the latency run")
    parser.add_argument("--memory-requests", type=int, default=100_000, help="requests of the memory run")
    parser.add_argument("--streams", type=int, default=50, help="open live streams")
    parser.add_argument("--rate", type=float, default=200.0, help="reports per second for the live bench")
    parser.add_argument("--live-reports", type=int, default=2000)
    parser.add_argument(
        "--only",
        choices=["intake", "live", "triage", "forecast", "insight", "map", "fuzz", "crisislex", "posts"],
        help="run only this section and replace just its part of docs/benchmarks.md, keeping the others",
    )
    args = parser.parse_args()

    if args.only:
        sections = {
            "triage": triage_lines,
            "forecast": forecast_lines,
            "insight": insight_lines,
            "map": map_lines,
            "fuzz": fuzz_lines,
            "crisislex": crisislex_lines,
            "posts": posts_lines,
        }
        if args.only == "intake":
            section = intake_lines(args)[0]
        else:
            section = sections[args.only]() if args.only in sections else live_lines(args)
        OUT.write_text(replace_section(OUT.read_text() if OUT.exists() else "", section))
        print(f"{args.only} section written to {OUT.relative_to(ROOT)}")
        return 0

    intake_section, weight, on_postgres = intake_lines(args)
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. The load generator runs on the same machine. "
        "Each figure is compared with a ceiling measured in the same run.",
        "",
        *intake_section,
    ]
    if on_postgres:
        lines += ["", *live_lines(args)]
    status = "within" if weight.transferred < PAGE_BUDGET else "OVER"
    print(f"report form: {weight.transferred} bytes transferred ({weight.uncompressed} uncompressed)")
    lines += [
        "",
        "## Report form page weight",
        "",
        "What a phone downloads to open the report form: HTML, CSS, JavaScript (Leaflet included) and the "
        "map pin images; map tiles excluded.",
        "",
        "| page | files | transferred | uncompressed | budget | ratio to budget |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `{weight.path}` | {weight.files} | {weight.transferred / 1024:.1f} KB | "
        f"{weight.uncompressed / 1024:.1f} KB | 150 KB | {weight.transferred / PAGE_BUDGET:.2f} ({status}) |",
        "",
        *triage_lines(),
        "",
        *forecast_lines(),
        "",
        *insight_lines(),
        "",
        *posts_lines(),
        "",
        *map_lines(),
        "",
        *fuzz_lines(),
        "",
        *crisislex_lines(),
    ]
    OUT.write_text("\n".join(lines))
    print(f"written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
