"""Live stream latency: reports committed at a steady rate, received on N open Server-Sent Events
streams of the real server; p50/p99 from commit to arrival on every stream."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from .common import server, staff_session

REPORT_ID = re.compile(rb'"report": (\d+)')
PUBLISHERS = 4  # processes committing reports side by side, as several web processes would

PUBLISH_CODE = r"""
import django, json, sys, time
django.setup()
from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.services import report_submit
from streetlight.reports.models import Report
from streetlight.routing.services import report_route
n, rate = int(sys.argv[1]), float(sys.argv[2])
consent = Consent(police=True, victim_support=False, social_services=False, city=False, contact=False,
                  public_statistics=True)
ids = [
    report_submit(
        draft=ReportDraft(category="theft-bike", description=f"bench {i}", consent=consent, location="point",
                          lat=45.07, lon=7.68),
        source="api",
    ).report.pk
    for i in range(n)
]
print(json.dumps({"ready": True}), flush=True)
sys.stdin.readline()  # every publisher starts routing at the same moment
start = time.perf_counter()
for i, pk in enumerate(ids):
    due = start + i / rate
    pause = due - time.perf_counter()
    if pause > 0:
        time.sleep(pause)
    report = Report.objects.select_related("category__parent", "area").get(pk=pk)
    report_route(report=report)  # commits: the stream event is visible from here on
    print(json.dumps({"report": pk, "t": time.time()}), flush=True)
"""


@dataclass
class LiveResult:
    streams: int
    rate: float
    sent: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    delivered_share: float
    achieved_rate: float


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
    env: dict[str, str], base: str, session: str, streams: int, n: int, rate: float
) -> tuple[list[dict[int, float]], dict[int, float], float]:
    publishers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            PUBLISH_CODE,
            str(n // PUBLISHERS),
            str(rate / PUBLISHERS),
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(PUBLISHERS)
    ]
    for proc in publishers:  # each has filed its reports, not yet routed
        assert proc.stdout is not None
        json.loads(await proc.stdout.readline())
    seen: list[dict[int, float]] = [{} for _ in range(streams)]
    ready = asyncio.Event()
    counter = [0, streams]
    readers = [asyncio.create_task(_read(base, session, seen[i], ready, counter)) for i in range(streams)]
    await asyncio.wait_for(ready.wait(), 60)
    await asyncio.sleep(1.0)
    committed: dict[int, float] = {}

    async def publish(proc: asyncio.subprocess.Process) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
        async for raw in proc.stdout:
            row = json.loads(raw)
            committed[row["report"]] = row["t"]
        await proc.wait()

    t0 = time.perf_counter()
    await asyncio.gather(*(publish(proc) for proc in publishers))
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(2.0)  # let the last events arrive
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return seen, committed, elapsed


def run(env: dict[str, str], *, streams: int = 50, n: int = 600, rate: float = 200.0) -> LiveResult:
    session = staff_session(env, "bench-operator", "operator")
    with server(env) as base:
        seen, committed, elapsed = asyncio.run(_run(env, base, session, streams, n, rate))
    latencies = [(stream[rid] - t) * 1000 for stream in seen for rid, t in committed.items() if rid in stream]
    expected = len(committed) * streams
    latencies.sort()
    return LiveResult(
        streams=streams,
        rate=rate,
        sent=len(committed),
        p50_ms=statistics.median(latencies) if latencies else float("nan"),
        p99_ms=latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        max_ms=latencies[-1] if latencies else float("nan"),
        delivered_share=len(latencies) / expected if expected else 0.0,
        achieved_rate=len(committed) / elapsed if elapsed else 0.0,
    )
