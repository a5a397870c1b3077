"""What the schema-driven fuzz tests share: how many examples, which checks, counting the cases.

STREETLIGHT_FUZZ_EXAMPLES sets Hypothesis's examples per operation (the test suite's default keeps
CI above 1,000 cases in all; `make bench` asks for ten times more). Each module counts the cases it
really ran and prints them; with STREETLIGHT_FUZZ_SUMMARY naming a file, it also appends its count
there as one JSON line, for the benchmark to report.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("STREETLIGHT_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
# Every built-in check but one. Schema-valid requests may still be refused, rightly: a category,
# area or service code must exist in the city's catalog, a report must say where, an
# Idempotency-Key has a format — rules that need the city's data or join several fields.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]
UNLIMITED = "1000000/1s"


def positive(case: schemathesis.Case) -> bool:
    """A case generated to be valid, which a test may make plausible with the city's data; a
    negative case is left as generated, so that what makes it invalid stays."""
    return case.meta is not None and case.meta.generation.mode is schemathesis.GenerationMode.POSITIVE


def pick[T](case: schemathesis.Case, options: Sequence[T], salt: str = "") -> T:
    """One of `options`, the same every time for the same case (Hypothesis replays stay exact)."""
    return options[zlib.crc32(f"{salt}{case.body!r}{case.query!r}".encode()) % len(options)]


def sendable_path(context: schemathesis.HookContext, path_parameters: dict[str, Any] | None) -> bool:
    """Leave out path values with a raw `?` or `#`: a client percent-encodes them, but schemathesis
    (4.32, over WSGI) sends them as they are, and the test client cannot even build that request.
    Register with `schema.hook("filter_path_parameters")(sendable_path)`."""
    return not any("?" in str(value) or "#" in str(value) for value in (path_parameters or {}).values())


class Tally:
    """Cases run per operation and answers per status, across Hypothesis's examples."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.operations: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()

    def case(self, operation: str) -> None:
        with self._lock:
            self.operations[operation] += 1

    def answer(self, status: int) -> None:
        with self._lock:
            self.statuses[status] += 1

    @property
    def cases(self) -> int:
        return sum(self.operations.values())

    def line(self) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        return (
            f"fuzz {self.suite}: {self.cases} cases over {len(self.operations)} operations "
            f"({EXAMPLES} examples each asked); answers {statuses}"
        )

    def report(self, config: pytest.Config) -> None:
        if not self.cases:
            return
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capture = config.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(self.line())
        if summary := os.environ.get("STREETLIGHT_FUZZ_SUMMARY"):
            record: dict[str, Any] = {"suite": self.suite, "cases": self.cases, "operations": dict(self.operations)}
            with Path(summary).open("a") as out:
                out.write(json.dumps(record) + "\n")


def unthrottled(settings: Any) -> Iterator[None]:
    """Generated requests are many and come from one address: lift the rate limits and accept the
    test client's host. As Django's own test client does, keep the test's connection (and its
    transaction) open across requests."""
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": UNLIMITED, "PUBLIC_RATE": UNLIMITED}
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
