"""Real `streetlight` processes — web servers and a worker, as operators start them — on the pytest
test database, so a transactional test can drive a deployment of several processes and read what
they committed.

Each process gets the environment that makes it the same platform as the test process: the test
database, the same data directory, `SECRET_KEY` (sessions made in the test are valid there), the
same field-encryption keys (what one process encrypts, every other reads) and audit key file. Each
writes its log to a file; the logs are printed when a test fails. Every process is bounded: it
starts within a deadline or the test fails, it is ended when the test ends, and the kernel ends it
if the test process dies first."""

from __future__ import annotations

import base64
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from streetlight.core.crypto import KeyRing

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 120.0  # importing the whole platform on a busy two-core machine takes a while
STOP_SECONDS = 30.0
PR_SET_PDEATHSIG = 1
UNLIMITED = "100000000/1s"  # the test sends from one address: rate limits have their own tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_the_test() -> None:
    """Runs in the child before exec: the kernel sends it SIGTERM if the test process dies, so a
    killed test run leaves no server behind."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def suite_database_url() -> str:
    """DATABASE_URL pointing at the database pytest-django made for this run (credentials, host
    and options as given to the suite; the name is the test database's)."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    assert url, "the processes share the suite's database: DATABASE_URL must name it"
    return urlsplit(url)._replace(path="/" + str(connection.settings_dict["NAME"])).geturl()


def shared_env(work_dir: Path) -> dict[str, str]:
    """The environment of a process that is the same platform as the test process."""
    from django.conf import settings

    from streetlight.audit import signing
    from streetlight.core import crypto

    (work_dir / "static").mkdir(exist_ok=True)
    signing.signing_keys()  # made on first use: create the key file now, before any process reads it
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "streetlight.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DATABASE_URL": suite_database_url(),
            "STREETLIGHT_DATA_DIR": str(settings.DATA_DIR),
            "SECRET_KEY": str(settings.SECRET_KEY),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STREETLIGHT_HTTPS": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            # Static files are not what these tests are about: no collected manifest is needed.
            "STREETLIGHT_MANIFEST_STATIC": "0",
            "STATIC_ROOT": str(work_dir / "static"),
            "STREETLIGHT_TILE_URL": "",
            "STREETLIGHT_SUBMIT_RATE": UNLIMITED,
            "STREETLIGHT_PUBLIC_RATE": UNLIMITED,
            "LOG_LEVEL": "WARNING",
            "DB_POOL": "1",  # as in production (the suite itself runs without the pool)
        }
    )
    # The very keys the test process holds (whichever file or variable it read them from), so the
    # test reads what the processes encrypted; the audit signing key from the same file.
    env["STREETLIGHT_KEYS"] = field_keys_line(crypto.keyring())
    if not os.environ.get(signing.ENV, "").strip():
        env[signing.FILE_ENV] = str(signing.key_file())
    return env


def field_keys_line(ring: KeyRing) -> str:
    """The ring as `STREETLIGHT_KEYS` gives it: the current key first."""
    order = [ring.current, *(kid for kid in ring.keys if kid != ring.current)]
    return ",".join(f"{kid}:{base64.b64encode(ring.keys[kid]).decode()}" for kid in order)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    base_url: str = ""

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, chars: int = 6000) -> str:
        text = self.log_text()
        return text if len(text) <= chars else "…" + text[-chars:]

    def check_alive(self) -> None:
        if (code := self.popen.poll()) is not None:
            raise AssertionError(f"{self.name} exited with status {code}; its log:\n{self.tail()}")


@dataclass
class Fleet:
    env: dict[str, str]
    log_dir: Path
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, *args: str) -> Process:
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:  # a file, not a pipe: an unread pipe fills up and stalls the server
            popen = subprocess.Popen(
                [sys.executable, "-m", "streetlight.cli", *args],
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                # The test starts its processes from one thread, so a pre-exec hook is safe here.
                preexec_fn=_die_with_the_test if sys.platform == "linux" else None,
            )
        process = Process(name=name, popen=popen, log=log)
        self.processes.append(process)
        return process

    def web(self, name: str) -> Process:
        """`streetlight serve` with one worker process on a free local port."""
        port = free_port()
        process = self.start(
            name, "serve", "--port", str(port), "--workers", "1", "--no-access-log", "--no-collectstatic"
        )
        process.base_url = f"http://127.0.0.1:{port}"
        return process

    def wait_healthy(self, process: Process) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            process.check_alive()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(process.base_url + "/healthz", timeout=2, trust_env=False).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"{process.name} did not answer /healthz in {START_SECONDS:.0f} s:\n{process.tail()}")

    def wait_for_line(self, process: Process, text: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if text in process.log_text():
                return
            process.check_alive()
            time.sleep(0.2)
        raise AssertionError(f"{process.name} did not log {text!r} in {START_SECONDS:.0f} s:\n{process.tail()}")

    def logs(self) -> str:
        return "\n".join(f"----- {p.name} ({p.log}) -----\n{p.tail()}" for p in self.processes)

    @contextlib.contextmanager
    def logs_on_failure(self) -> Iterator[None]:
        """Print every process's log if the block fails: pytest shows it with the failure."""
        try:
            yield
        except BaseException:
            print(self.logs())
            raise

    def stop(self) -> None:
        """SIGTERM to all at once (uvicorn and the worker stop gracefully), then wait; SIGKILL for a
        process that is still there after STOP_SECONDS."""
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait(timeout=10)
