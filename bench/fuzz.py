"""Schema-driven fuzzing at scale: the test suite's two schemathesis modules (/api/v1 from its
OpenAPI document, Open311 from the document written in its test) run by pytest with many more
examples per operation than CI asks; the cases each really ran, and the operations that failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .common import ROOT

EXAMPLES = 600  # per operation; the test suite asks for 60
TARGET = 10_000  # cases in all
MODULES = {"tests/reports/test_api_fuzz.py": "/api/v1", "tests/integrations/test_open311_fuzz.py": "/open311/v2"}


@dataclass
class Suite:
    name: str
    operations: int
    cases: int
    failed: list[str]  # what schemathesis reported for each failing operation


@dataclass
class FuzzResult:
    examples: int
    suites: list[Suite]
    seconds: float

    @property
    def failed(self) -> list[str]:
        return [name for suite in self.suites for name in suite.failed]

    @property
    def cases(self) -> int:
        return sum(suite.cases for suite in self.suites)


def _failure(report: str) -> str:
    """Schemathesis's own summary lines (check code and title, the request to reproduce it)."""
    lines = [line.strip(" |") for line in report.splitlines()]
    wanted = [line for line in lines if line.startswith(("- ST", "curl ", "Received", "Documented"))]
    return "; ".join(dict.fromkeys(wanted)) or (lines[-1] if lines else "failed")


def run(examples: int = EXAMPLES) -> FuzzResult:
    """pytest in its own process, on SQLite, with the examples set through STREETLIGHT_FUZZ_EXAMPLES;
    the test modules append their case counts to a summary file, pytest its failures to JUnit XML."""
    with tempfile.TemporaryDirectory(prefix="streetlight-fuzz-") as work:
        summary, junit = Path(work) / "summary.jsonl", Path(work) / "junit.xml"
        env = {
            **os.environ,
            "STREETLIGHT_FUZZ_EXAMPLES": str(examples),
            "STREETLIGHT_FUZZ_SUMMARY": str(summary),
            "STREETLIGHT_DATA_DIR": str(Path(work) / "data"),
            "DB_POOL": "0",
        }
        env.pop("DATABASE_URL", None)
        start = time.perf_counter()
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *MODULES]
        subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        counts = [json.loads(line) for line in summary.read_text().splitlines()] if summary.exists() else []
        failed: dict[str, list[str]] = {name: [] for name in MODULES.values()}
        for case in etree.parse(str(junit)).iter("testcase"):
            problem = case.find("failure") if case.find("failure") is not None else case.find("error")
            if problem is not None:
                module = str(case.get("classname", "")).replace(".", "/") + ".py"
                failed.setdefault(MODULES.get(module, module), []).append(_failure(problem.text or ""))
    suites = [Suite(c["suite"], len(c["operations"]), int(c["cases"]), failed.pop(c["suite"], [])) for c in counts]
    suites += [Suite(name, 0, 0, names) for name, names in failed.items() if names]  # never got to count
    return FuzzResult(examples=examples, suites=suites, seconds=seconds)


def markdown(result: FuzzResult, *, measured: str) -> list[str]:
    status = "reached" if result.cases >= TARGET else "NOT reached"
    return [
        "## Fuzzing",
        "",
        f"Measured {measured}, {result.seconds:.0f} s. Schemathesis generated valid and invalid requests from "
        "`/api/v1/openapi.json` and from the Open311 GeoReport v2 document written in "
        f"`tests/integrations/test_open311_fuzz.py`, {result.examples} examples asked per operation "
        "(`STREETLIGHT_FUZZ_EXAMPLES`; the test suite asks for 60), on SQLite. Every answer is checked: no server "
        "error, a documented status and content type, a body valid against its schema; on `/api/v1`, a request "
        "the schema rules out must be refused too (Open311 reads a blank parameter as absent, as its spec "
        "allows). Schemathesis's positive-data check is left out: the city's catalog decides which category, "
        f"area and service codes exist, which no schema can say. The ceiling is the target of {TARGET:,} cases.",
        "",
        "| suite | operations | cases run | failing operations |",
        "|---|---:|---:|---:|",
        *(f"| `{s.name}` | {s.operations} | {s.cases:,} | {len(s.failed)} |" for s in result.suites),
        f"| all | {sum(s.operations for s in result.suites)} | {result.cases:,} | {len(result.failed)} |",
        "",
        f"Cases / target: {result.cases / TARGET:.2f} ({status}).",
        *(["", "Failing:", "", *(f"- `{failure}`" for failure in result.failed)] if result.failed else []),
    ]
