"""Where an intake request's time goes: the same `POST /api/v1/reports` run in one process (Django's
test client, no HTTP server), with the wall time of each step of `report_submit` taken around the
real functions. The remainder is Django's request handling, the middleware, the API layer (parsing,
the schema, the answer with its guidance) and the test client itself."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

PROFILE_CODE = r"""
import json, sys, time, uuid
import django
django.setup()
from django.db import transaction
from django.test import Client
sys.path.insert(0, sys.argv[2])
from bench.intake import POINT, report_body
from streetlight.audit import services as audit
from streetlight.reports import services as reports_services
from streetlight.reports.services import submit
from django.tasks import default_task_backend
from streetlight.routing import services as routing

spent = {}  # exclusive time per step: a step's own time, without the timed steps it called
inclusive = {}
stack = []

def timed(owner, name, label):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        stack.append(0.0)
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            children = stack.pop()
            spent[label] = spent.get(label, 0.0) + elapsed - children
            inclusive[label] = inclusive.get(label, 0.0) + elapsed
            if stack:
                stack[-1] += elapsed
    setattr(owner, name, wrapper)

timed(reports_services, "report_submit", "commit and the rest of report_submit")
timed(submit, "check_draft", "validation against the catalog and areas")
timed(submit, "_store", "status row, contact, photos")
timed(submit.Report.objects, "create", "report row")
timed(submit, "_issue_token", "follow-up token")
timed(audit, "record", "audit entries (chain lock, head, insert)")
timed(routing, "report_route", "routing (assignments, stream event)")
timed(default_task_backend, "enqueue", "outbox task")

client = Client(HTTP_HOST="127.0.0.1")
n = int(sys.argv[1])
bodies = [json.dumps(report_body(POINT, i)) for i in range(n)]
for body in bodies[:50]:
    client.post("/api/v1/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
spent.clear()
inclusive.clear()
start = time.perf_counter()
for body in bodies:
    resp = client.post("/api/v1/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    assert resp.status_code == 201, resp.content
total = time.perf_counter() - start
print(json.dumps({"n": n, "total": total, "spent": spent, "submit": inclusive["commit and the rest of report_submit"]}))
"""


@dataclass
class IntakeProfile:
    n: int
    total_ms: float  # per request
    steps_ms: dict[str, float]  # per request, each step's own time
    submit_ms: float  # report_submit with everything it calls


def run(env: dict[str, str], *, n: int = 500) -> IntakeProfile:
    from .common import ROOT

    done = subprocess.run(
        [sys.executable, "-c", PROFILE_CODE, str(n), str(ROOT)], env=env, check=True, capture_output=True, text=True
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    per = 1000 / data["n"]
    return IntakeProfile(
        n=data["n"],
        total_ms=data["total"] * per,
        steps_ms={k: v * per for k, v in data["spent"].items()},
        submit_ms=data["submit"] * per,
    )


def markdown(profile: IntakeProfile) -> list[str]:
    rows = [("request handling, middleware, API layer and answer", profile.total_ms - profile.submit_ms)]
    rows += sorted(profile.steps_ms.items(), key=lambda item: -item[1])
    return [
        f"Where one report's time goes (PostgreSQL, one process, {profile.n} reports in a row, wall time per "
        f"report, each step without the steps it calls; `bench/intake_profile.py`): {profile.total_ms:.2f} ms "
        "in all.",
        "",
        "| step | ms per report | share |",
        "|---|---:|---:|",
        *(f"| {name} | {ms:.2f} | {ms / profile.total_ms:.0%} |" for name, ms in rows),
    ]
