"""Live stream latency, end to end: reports sent over HTTP at a steady rate to `streetlight serve`,
routed by `streetlight worker` processes, received on N open Server-Sent Events streams; p50/p99
from the moment each report is accepted (its 201 arrives at the sender) to its arrival on every
stream."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import loadgen
from .common import server, staff_session, task_workers
from .intake import report_request

REPORT_ID = re.compile(rb'"report": (\d+)')
WARM_UP = 100

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


async def _run(
    base: str, session: str, streams: int, n: int, rate: float
) -> tuple[list[dict[int, float]], loadgen.Outcome]:
    seen: list[dict[int, float]] = [{} for _ in range(streams)]
    ready = asyncio.Event()
    counter = [0, streams]
    readers = [asyncio.create_task(_read(base, session, seen[i], ready, counter)) for i in range(streams)]
    await asyncio.wait_for(ready.wait(), 60)
    # Warm the web and task workers, and wait until the warm-up reports are on the screens: the
    # measured run starts with an empty queue.
    await loadgen.run_open(base, report_request, rate=50, n=WARM_UP)
    await _until(lambda: len(seen[0]) >= WARM_UP, limit_s=60)
    for stream in seen:
        stream.clear()
    outcome = await loadgen.run_open(base, report_request, rate=rate, n=n, keep_bodies=True)
    # Until every accepted report is on the first screen (a backlog shows as latency, not as loss).
    await _until(lambda: len(seen[0]) >= outcome.statuses.get(201, 0), limit_s=60)
    await asyncio.sleep(0.5)  # the other screens
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return seen, outcome


async def _until(condition: Callable[[], bool], *, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


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
    latencies = sorted(
        (stream[ids[ref]] - at) * 1000 for stream in seen for ref, at in accepted_at.items() if ids.get(ref) in stream
    )
    from_sending = sorted(
        (stream[ids[ref]] - at) * 1000 for stream in seen for ref, at in sent_at.items() if ids.get(ref) in stream
    )
    expected = len(accepted_at) * streams
    return LiveResult(
        streams=streams,
        rate=rate,
        sent=outcome.sent,
        accepted=len(accepted_at),
        sent_p99_ms=from_sending[int(0.99 * (len(from_sending) - 1))] if from_sending else float("nan"),
        p50_ms=statistics.median(latencies) if latencies else float("nan"),
        p99_ms=latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        max_ms=latencies[-1] if latencies else float("nan"),
        delivered_share=len(latencies) / expected if expected else 0.0,
        achieved_rate=outcome.sent / outcome.seconds if outcome.seconds else 0.0,
        web_workers=web_workers,
        task_workers=workers,
    )
