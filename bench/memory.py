"""Memory of the web processes under a long run: resident size of each `streetlight serve` worker
after a warm-up and after 100,000 requests (a mix of pages, API reads and report submissions), to
show it stays bounded and does not grow."""

from __future__ import annotations

from dataclasses import dataclass

from . import loadgen
from .common import process_tree_rss_mb, server
from .intake import report_request

PAGES = ("/", "/report/", "/api/v1/categories", "/api/v1/areas", "/healthz")


def mixed_request(i: int) -> bytes:
    """One report in ten; the rest are the pages and API reads a phone or a partner asks for."""
    if i % 10 == 0:
        return report_request(i)
    return loadgen.get(PAGES[i % len(PAGES)])


@dataclass
class MemoryResult:
    requests: int
    seconds: float
    errors: int
    warm_mb: list[float]
    end_mb: list[float]

    @property
    def peak_mb(self) -> float:
        return max(self.end_mb)

    @property
    def growth_mb(self) -> float:
        return max(end - warm for warm, end in zip(self.warm_mb, self.end_mb, strict=False))


def run(env: dict[str, str], *, n: int = 100_000, workers: int = 2, concurrency: int = 8) -> MemoryResult:
    with server(env, workers=workers) as base:
        loadgen.closed_loop(base, mixed_request, n=2000, concurrency=concurrency)
        warm = process_tree_rss_mb(base.pid)
        outcome = loadgen.closed_loop(base, mixed_request, n=n, concurrency=concurrency, limit_s=900)
        end = process_tree_rss_mb(base.pid)
    ok = {200, 201}
    return MemoryResult(
        requests=outcome.sent,
        seconds=outcome.seconds,
        errors=sum(count for status, count in outcome.statuses.items() if status not in ok),
        warm_mb=warm,
        end_mb=end,
    )
