"""Shared bench plumbing: a throw-away database and a real server process on a free port."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_env(database_url: str | None, data_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "streetlight.settings",
        "STREETLIGHT_DATA_DIR": data_dir,
        "STATIC_ROOT": str(Path(data_dir) / "static"),
        "STREETLIGHT_SUBMIT_RATE": "100000000/1s",
        "STREETLIGHT_PUBLIC_RATE": "100000000/1s",
        "STREETLIGHT_TILE_URL": "",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def streetlight(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "streetlight.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL)


class Served(str):
    """The server's base URL, with the pid of the `streetlight serve` process."""

    pid: int


def web_processes(pid: int) -> list[int]:
    """The processes that serve requests: the workers under `streetlight serve`'s supervisor `pid`
    (not multiprocessing's resource tracker), or `pid` itself when it serves alone."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and b"resource_tracker" not in (stat.parent / "cmdline").read_bytes():
                children.append(int(stat.parent.name))
        except OSError:
            continue
    return children or [pid]


def _cpu_seconds(pid: int | str) -> float:
    """User and system CPU time of one process so far (0 once it is gone)."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_pids() -> list[str]:
    """PostgreSQL's server processes on this machine (none when it runs elsewhere)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                pids.append(comm.parent.name)
        except OSError:
            continue
    return pids


@dataclass
class CpuSplit:
    """CPU time per request, in ms, by who spent it: the web processes, PostgreSQL on this machine
    and the load generator (this process)."""

    web_ms: float = 0.0
    database_ms: float = 0.0
    loadgen_ms: float = 0.0

    @property
    def total_ms(self) -> float:
        return self.web_ms + self.database_ms + self.loadgen_ms


@contextlib.contextmanager
def cpu_split(server_pid: int, requests: Callable[[], int]) -> Iterator[CpuSplit]:
    """Measures the block: the split is filled in when it ends, per request as `requests()` counts."""
    web = web_processes(server_pid)
    database = _postgres_pids()

    def spent() -> tuple[float, float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return (
            sum(_cpu_seconds(p) for p in web),
            sum(_cpu_seconds(p) for p in database),
            own.ru_utime + own.ru_stime,
        )

    split = CpuSplit()
    before = spent()
    yield split
    after = spent()
    n = max(1, requests())
    split.web_ms, split.database_ms, split.loadgen_ms = ((a - b) * 1000 / n for a, b in zip(after, before, strict=True))


def process_tree_rss_mb(pid: int) -> list[float]:
    """Resident memory of each web process."""
    rss = []
    for p in web_processes(pid):
        status = (Path("/proc") / str(p) / "status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        rss.append(kb / 1024)
    return rss


@contextlib.contextmanager
def task_workers(env: dict[str, str], count: int, interval: float = 0.05) -> Iterator[None]:
    """`streetlight worker` processes, as operators run them; stopped on the way out."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "streetlight.cli", "worker", "--interval", str(interval)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


@contextlib.contextmanager
def server(env: dict[str, str], workers: int = 1) -> Iterator[Served]:
    """`streetlight serve` exactly as operators run it, on a free local port."""
    port = free_port()
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log = tempfile.NamedTemporaryFile(prefix="streetlight-serve-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streetlight.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--no-collectstatic",
        ],
        env={**env, "LOG_LEVEL": "INFO"},  # for the line that says every worker listens
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = Served(f"http://127.0.0.1:{port}")
    base.pid = proc.pid
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "Streetlight is serving on" in Path(log.name).read_text(errors="replace"):
                with urllib.request.urlopen(base + "/healthz", timeout=10):
                    break
            if proc.poll() is not None:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start; its log: " + log.name)
        if proc.poll() is not None:
            raise RuntimeError("the server stopped; its log: " + log.name)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def hardware(libraries: str) -> str:
    """The machine a single-process, single-thread bench ran on: cores, CPU model, Python, then
    `libraries` (the versions its figures depend on, e.g. "numpy 2.2.0, scipy 1.15.0")."""
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu_model()}), Python {python}, {libraries}; one process, one thread"


def cpu_model() -> str:
    try:
        with Path("/proc/cpuinfo").open() as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown CPU")
    except OSError:
        return "unknown CPU"


@contextlib.contextmanager
def prepared_city(database_url: str | None) -> Iterator[dict[str, str]]:
    """A migrated database with the demo catalog (no reports) and collected static files."""
    with tempfile.TemporaryDirectory(prefix="streetlight-bench-") as data_dir:
        env = bench_env(database_url, data_dir)
        if database_url:
            reset_postgres(env)
        streetlight(env, "migrate", "--quiet")
        streetlight(env, "demo", "--reports", "0")
        streetlight(env, "manage", "collectstatic", "--noinput", "-v", "0")
        yield env


def reset_postgres(env: dict[str, str]) -> None:
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('DROP SCHEMA public CASCADE'); c.execute('CREATE SCHEMA public')"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


SESSION_CODE = r"""
import django, json, sys
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.db import connection
from streetlight.accounts.models import User
from streetlight.routing.models import Agency, Membership
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
user, _ = User.objects.get_or_create(username=sys.argv[1])
device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
Membership.objects.get_or_create(user=user, agency=Agency.objects.get(code="police"), role=sys.argv[2])
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s[DEVICE_ID_SESSION_KEY] = device.persistent_id
s.create()
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:  # flush what earlier sections wrote: their I/O is not the next one's
        cursor.execute("CHECKPOINT")
print(json.dumps({"session": s.session_key}))
"""


def staff_session(env: dict[str, str], username: str, role: str) -> str:
    """A signed-in session key for a member of the police with `role`, second factor verified (the
    cookie a browser would hold after password and code)."""
    done = subprocess.run(
        [sys.executable, "-c", SESSION_CODE, username, role], env=env, check=True, capture_output=True, text=True
    )
    return str(json.loads(done.stdout.strip().splitlines()[-1])["session"])
