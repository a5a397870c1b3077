"""Live stream latency, end to end: reports sent over HTTP at a steady rate to `streetlight serve`,
routed by `streetlight worker` processes, received on N open Server-Sent Events streams; p50/p99
from the moment each report is accepted (its 201 arrives at the sender) to its arrival on every
stream. And the fan-out alone: changes committed at a steady rate by another process, as the
intake commits them, from each commit to its arrival on every stream — the stream's own capacity,
apart from what the intake can accept on the same cores."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import loadgen
from .common import server, staff_session, task_workers
from .intake import report_request

REPORT_ID = re.compile(rb'"report": (\d+)')
WARM_UP = 100
FANOUT_FIRST_REPORT = 10_000_000  # report ids no real report has

# Each change in its own transaction, as the intake writes it; prints the wall-clock time of each commit.
PUBLISH_CODE = r"""
import django, json, sys, time
django.setup()
from django.db import transaction
from streetlight.live.services import event_publish
from streetlight.routing.models import Agency
first, n, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
police = Agency.objects.get(code="police").pk
committed = {}
start = time.monotonic() + 0.2
for i in range(n):
    if (pause := start + i / rate - time.monotonic()) > 0:
        time.sleep(pause)
    with transaction.atomic():
        event_publish(kind="report.routed", report_id=first + i, agency_ids=[police])
    committed[first + i] = time.time()
print(json.dumps({"committed": committed, "seconds": time.monotonic() - start}))
"""

IDS_CODE = r"""
import django, json, sys
django.setup()
from streetlight.reports.models import Report
refs = json.loads(sys.stdin.read())
print(json.dumps(dict(Report.objects.filter(reference__in=refs).values_list("reference", "pk"))))
"""


@dataclass
class LiveResult:
    streams: int
    rate: float
    sent: int
    accepted: int
    p50_ms: float
    p99_ms: float
    sent_p99_ms: float  # from the moment the report was sent, the intake's own time included
    max_ms: float
    delivered_share: float
    achieved_rate: float
    web_workers: int
    task_workers: int


async def _read(base: str, session: str, seen: dict[int, float], ready: asyncio.Event, counter: list[int]) -> None:
    """One screen: a plain HTTP/1.1 request on a socket and a regex over the raw bytes, so that the
    reader, on the same two cores, is not what the bench measures."""
    url = urlsplit(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(
        f"GET /control/stream/ HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: sessionid={session}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError("the stream was refused: " + head.decode(errors="replace").splitlines()[0])
    counter[0] += 1
    if counter[0] >= counter[1]:
        ready.set()
    tail = b""
    try:
        while chunk := await reader.read(65536):
            now = time.time()
            buffer = tail + chunk
            end = buffer.rfind(b"\n\n")
            cut = end + 2 if end >= 0 else 0  # a message split across two reads is matched whole, later
            for match in REPORT_ID.finditer(buffer, 0, cut):
                seen.setdefault(int(match.group(1)), now)
            tail = buffer[cut:]
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def _screens(base: str, session: str, streams: int) -> AsyncIterator[list[dict[int, float]]]:
    """`streams` open screens, each noting when every report id first reached it; closed on the way out."""
    seen: list[dict[int, float]] = [{} for _ in range(streams)]
    ready = asyncio.Event()
    counter = [0, streams]
    readers = [asyncio.create_task(_read(base, session, seen[i], ready, counter)) for i in range(streams)]
    try:
        await asyncio.wait_for(ready.wait(), 60)
        yield seen
    finally:
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


async def _warm(seen: list[dict[int, float]], warm_up: Awaitable[object]) -> None:
    """Warm the processes with WARM_UP changes and wait until they are on the screens: the measured
    run starts with an empty queue."""
    await warm_up
    await _until(lambda: len(seen[0]) >= WARM_UP, limit_s=60)
    for stream in seen:
        stream.clear()


async def _reached(seen: list[dict[int, float]], count: int) -> None:
    """Until `count` changes are on the first screen (a backlog shows as latency, not as loss), then
    a moment for the other screens."""
    await _until(lambda: len(seen[0]) >= count, limit_s=60)
    await asyncio.sleep(0.5)


async def _run(
    base: str, session: str, streams: int, n: int, rate: float
) -> tuple[list[dict[int, float]], loadgen.Outcome]:
    async with _screens(base, session, streams) as seen:
        await _warm(seen, loadgen.run_open(base, report_request, rate=50, n=WARM_UP))
        outcome = await loadgen.run_open(base, report_request, rate=rate, n=n, keep_bodies=True)
        await _reached(seen, outcome.statuses.get(201, 0))
    return seen, outcome


def _latencies_ms(seen: list[dict[int, float]], since: dict[int, float]) -> list[float]:
    """From each report's time in `since` to its arrival, on every screen it reached; sorted."""
    return sorted((stream[pk] - at) * 1000 for stream in seen for pk, at in since.items() if pk in stream)


def _p99(latencies: list[float]) -> float:
    return latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan")


def _spread(latencies: list[float]) -> tuple[float, float, float]:
    """p50, p99 and max of sorted latencies; NaN when nothing arrived."""
    if not latencies:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(latencies), _p99(latencies), latencies[-1]


async def _until(condition: Callable[[], bool], *, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


@dataclass
class FanoutResult:
    streams: int
    rate: float
    changes: int
    achieved_rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    delivered_share: float
    web_workers: int


async def _fanout(
    base: str, env: dict[str, str], session: str, streams: int, n: int, rate: float
) -> tuple[list[dict[int, float]], dict[int, float], float]:
    async with _screens(base, session, streams) as seen:
        await _warm(seen, _publish(env, FANOUT_FIRST_REPORT - WARM_UP, WARM_UP, 50))
        committed, seconds = await _publish(env, FANOUT_FIRST_REPORT, n, rate)
        await _reached(seen, n)
    return seen, committed, seconds


async def _publish(env: dict[str, str], first: int, n: int, rate: float) -> tuple[dict[int, float], float]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        PUBLISH_CODE,
        str(first),
        str(n),
        str(rate),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    if proc.returncode:
        raise RuntimeError("the publisher failed: " + err.decode(errors="replace")[-2000:])
    data = json.loads(out.decode().strip().splitlines()[-1])
    return {int(k): float(v) for k, v in data["committed"].items()}, float(data["seconds"])


def run_fanout(
    env: dict[str, str], *, streams: int = 50, n: int = 4000, rate: float = 200.0, web_workers: int = 2
) -> FanoutResult:
    """Changes committed at `rate` by one process, received on `streams` open streams."""
    session = staff_session(env, "bench-fanout", "operator")
    with server(env, workers=web_workers) as base:
        seen, committed, seconds = asyncio.run(_fanout(base, env, session, streams, n, rate))
    latencies = _latencies_ms(seen, committed)
    p50, p99, top = _spread(latencies)
    return FanoutResult(
        streams=streams,
        rate=rate,
        changes=len(committed),
        achieved_rate=len(committed) / seconds if seconds else 0.0,
        p50_ms=p50,
        p99_ms=p99,
        max_ms=top,
        delivered_share=len(latencies) / (len(committed) * streams) if committed else 0.0,
        web_workers=web_workers,
    )


def _report_ids(env: dict[str, str], references: list[str]) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", IDS_CODE], env=env, input=json.dumps(references), capture_output=True, text=True
    )
    done.check_returncode()
    return {str(k): int(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def run(
    env: dict[str, str],
    *,
    streams: int = 50,
    n: int = 2000,
    rate: float = 200.0,
    web_workers: int = 2,
    workers: int = 2,
) -> LiveResult:
    session = staff_session(env, "bench-operator", "operator")
    with server(env, workers=web_workers) as base, task_workers(env, workers):
        seen, outcome = asyncio.run(_run(base, session, streams, n, rate))
    sent_at, accepted_at = {}, {}
    for _i, body, sent, answered in outcome.answers:
        reference = json.loads(body).get("reference") if body.startswith(b"{") else None
        if reference:
            sent_at[reference], accepted_at[reference] = sent, answered
    ids = _report_ids(env, list(accepted_at))
    latencies = _latencies_ms(seen, {ids[ref]: at for ref, at in accepted_at.items() if ref in ids})
    from_sending = _latencies_ms(seen, {ids[ref]: at for ref, at in sent_at.items() if ref in ids})
    expected = len(accepted_at) * streams
    p50, p99, top = _spread(latencies)
    return LiveResult(
        streams=streams,
        rate=rate,
        sent=outcome.sent,
        accepted=len(accepted_at),
        sent_p99_ms=_p99(from_sending),
        p50_ms=p50,
        p99_ms=p99,
        max_ms=top,
        delivered_share=len(latencies) / expected if expected else 0.0,
        achieved_rate=outcome.sent / outcome.seconds if outcome.seconds else 0.0,
        web_workers=web_workers,
        task_workers=workers,
    )
