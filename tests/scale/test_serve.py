"""`streetlight serve` with several workers, as operators start it: each worker listens on its own
socket (SO_REUSEPORT), so a burst of keep-alive connections is spread over the workers instead of
landing on whichever woke first; a worker that dies is replaced; a taken port is refused clearly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .fleet import ROOT, START_SECONDS, free_port

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads the workers' sockets from /proc")


@dataclass
class Served:
    popen: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The uvicorn worker processes: the supervisor's children that listen on the port."""
        children = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children").read_text().split()
        return [int(pid) for pid in children if _listening_inodes(int(pid), self.port)]


def _tcp_sockets(port: int, state: str) -> set[str]:
    """Inodes of the IPv4 sockets on local `port` in `state` (0A listening, 01 established)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = str(fd.readlink())
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _listening_inodes(pid: int, port: int) -> set[str]:
    return _socket_inodes(pid) & _tcp_sockets(port, "0A")


@contextlib.contextmanager
def serve(tmp_path: Path, *, workers: int, port: int | None = None) -> Iterator[Served]:
    port = port or free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.pop("DATABASE_URL", None)  # its own SQLite file: only the server is under test
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "streetlight.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "STREETLIGHT_DATA_DIR": str(tmp_path / "data"),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STREETLIGHT_HTTPS": "0",
            "STREETLIGHT_MANIFEST_STATIC": "0",
            "LOG_LEVEL": "INFO",
        }
    )
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "streetlight.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [*command, "--no-access-log", "--no-collectstatic"],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(popen=popen, port=port, log=log)
    try:
        yield served
    finally:
        if popen.poll() is None:
            popen.send_signal(signal.SIGTERM)
        try:
            popen.wait(timeout=40)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait()


def wait_for(served: Served, condition: str, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert served.popen.poll() is None, served.log.read_text(errors="replace")
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not {condition} in {START_SECONDS:.0f} s:\n{served.log.read_text(errors='replace')}")


def test_keep_alive_connections_are_spread_over_the_workers(tmp_path: Path) -> None:
    with serve(tmp_path, workers=2) as served:
        wait_for(served, "serving", lambda: "with 2 worker processes" in served.log.read_text(errors="replace"))
        workers = served.workers()
        assert len(workers) == 2
        clients = []
        try:
            for _ in range(16):  # a burst, as a load balancer's pool or a wall of screens opens them
                client = socket.create_connection(("127.0.0.1", served.port), timeout=30)
                clients.append(client)
            for client in clients:
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert client.recv(65536).startswith(b"HTTP/1.1 200")
            established = _tcp_sockets(served.port, "01")
            held = {pid: len(_socket_inodes(pid) & established) for pid in workers}
        finally:
            for client in clients:
                client.close()
        assert sum(held.values()) == 16
        # With one shared socket, the first worker to wake accepted the whole burst; with a socket
        # each, the kernel hashes connections over both (all 16 on one: 1 chance in 32,768).
        assert all(count > 0 for count in held.values()), held


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    with serve(tmp_path, workers=2) as served:
        wait_for(served, "serving", lambda: "with 2 worker processes" in served.log.read_text(errors="replace"))
        victim = served.workers()[0]
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:
            now = served.workers()  # once: two reads could straddle the kill
            return len(now) == 2 and victim not in now

        wait_for(served, "replaced", replaced)
        assert "starting another" in served.log.read_text(errors="replace")
        for _ in range(8):
            assert httpx.get(served.base_url + "/healthz", timeout=30, trust_env=False).status_code == 200


def test_a_port_held_by_another_program_is_refused_clearly(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with serve(tmp_path, workers=2, port=port) as served:
            assert served.popen.wait(timeout=START_SECONDS) == 1
        assert f"cannot listen on 127.0.0.1:{port}" in served.log.read_text(errors="replace")
