"""A small HTTP/1.1 load generator for 127.0.0.1: requests are prepared as bytes beforehand and sent
over keep-alive connections from one asyncio loop, so the generator costs the shared cores as
little as possible. Bounded in count and in time: it stops by itself."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HOST_ONLY = "127.0.0.1"


def post_json(path: str, body: object, headers: dict[str, str] | None = None) -> bytes:
    payload = json.dumps(body).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {HOST_ONLY}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST_ONLY}\r\n\r\n".encode()


@dataclass
class Outcome:
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # seconds, one per answered request
    seconds: float = 0.0
    # (request number, body, wall-clock times the request was sent and its answer arrived), when
    # asked for with keep_bodies
    answers: list[tuple[int, bytes, float, float]] = field(default_factory=list)

    @property
    def per_s(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    def errors(self, ok: int) -> int:
        return sum(n for status, n in self.statuses.items() if status != ok)

    def percentile(self, q: float) -> float:
        values = sorted(self.latencies)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read one response (Content-Length bodies only, as our server sends): its status and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length) if length else b""


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request)
        try:
            return await _answer(self.reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.writer.close()
            self.writer = None
            return 599, b""

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    assert parts.hostname == HOST_ONLY, "the load generator only talks to 127.0.0.1"
    return parts.hostname, parts.port or 80


async def _closed(base: str, make: Callable[[int], bytes], n: int, concurrency: int, limit_s: float) -> Outcome:
    host, port = _address(base)
    outcome = Outcome()
    counter = iter(range(n))
    deadline = time.perf_counter() + limit_s

    async def client() -> None:
        conn = _Connection(host, port)
        try:
            while time.perf_counter() < deadline and (i := next(counter, None)) is not None:
                t = time.perf_counter()
                status, _body = await conn.send(make(i))
                outcome.latencies.append(time.perf_counter() - t)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                outcome.sent += 1
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    outcome.seconds = time.perf_counter() - start
    return outcome


def closed_loop(
    base: str, make: Callable[[int], bytes], *, n: int, concurrency: int, limit_s: float = 120.0
) -> Outcome:
    """As fast as the server answers: `concurrency` clients each send their next request when the
    previous one is answered. The throughput measure."""
    return asyncio.run(_closed(base, make, n, concurrency, limit_s))


async def run_open(
    base: str, make: Callable[[int], bytes], *, rate: float, n: int, connections: int = 32, keep_bodies: bool = False
) -> Outcome:
    """The open loop as a coroutine, for benches that do other things in the same event loop."""
    host, port = _address(base)
    outcome = Outcome()
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(_Connection(host, port))

    async def one(i: int, due: float) -> None:
        conn = await idle.get()
        sent = time.time()
        try:
            status, body = await conn.send(make(i))
        finally:
            idle.put_nowait(conn)
        if keep_bodies:
            outcome.answers.append((i, body, sent, time.time()))
        # From when the request was due, not when a connection was free: a slow server is not
        # excused by the requests it delayed (no coordinated omission).
        outcome.latencies.append(time.perf_counter() - due)
        outcome.statuses[status] = outcome.statuses.get(status, 0) + 1

    start = time.perf_counter()
    tasks = []
    for i in range(n):
        due = start + i / rate
        if (pause := due - time.perf_counter()) > 0:
            await asyncio.sleep(pause)
        tasks.append(asyncio.create_task(one(i, due)))
        outcome.sent += 1
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    outcome.seconds = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait().close()
    return outcome


def open_loop(base: str, make: Callable[[int], bytes], *, rate: float, n: int, connections: int = 32) -> Outcome:
    """At a steady `rate` whatever the answers: the latency measure."""
    return asyncio.run(run_open(base, make, rate=rate, n=n, connections=connections))
