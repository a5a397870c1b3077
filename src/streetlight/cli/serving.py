"""`streetlight serve`: uvicorn in several worker processes, each listening on its own socket.

uvicorn's own multi-process mode shares one listening socket between its workers, and whichever
worker wakes first accepts every connection waiting: a burst of keep-alive connections (a load
balancer's pool, a wall of screens reconnecting) often lands on one worker while the others idle,
and the machine serves at the speed of one core. Here each worker binds the port itself with
SO_REUSEPORT, and the kernel spreads new connections across the workers' sockets. The supervisor
restarts a worker that dies and passes SIGTERM/SIGINT on for a graceful stop."""

from __future__ import annotations

import argparse
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event as EventType
from types import FrameType
from typing import Any

from streetlight.core.logformat import LineFormatter

logger = logging.getLogger("streetlight.serve")
RESTART_PAUSE_S = 1.0  # a worker that dies at once is not restarted in a tight loop
STOP_GRACE_S = 25.0  # uvicorn's graceful shutdown (20 s) plus start-up slack
PR_SET_PDEATHSIG = 1


class PortUnavailable(Exception):
    pass


@dataclass(frozen=True)
class ServeOptions:
    app: str
    host: str
    port: int
    access_log: bool
    timeout_keep_alive: int = 5
    timeout_graceful_shutdown: int = 20


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound with SO_REUSEPORT (not yet listening: uvicorn calls listen with its backlog).
    Only sockets of the same user may join the port's group, so no other account can take a share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):  # not on Windows, where one worker is all that can bind
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _end_with_the_supervisor() -> None:
    """Linux: the kernel sends this worker SIGTERM if the supervisor dies, even by SIGKILL, so no
    worker keeps a share of the port with nobody to restart or stop it."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the supervisor was already gone before the line above
        sys.exit(0)


def _worker(options: ServeOptions, started: EventType) -> None:
    """One worker process: its own socket, one uvicorn server, until SIGTERM or SIGINT."""
    _end_with_the_supervisor()
    import uvicorn

    config = uvicorn.Config(
        options.app,
        access_log=options.access_log,
        timeout_keep_alive=options.timeout_keep_alive,
        timeout_graceful_shutdown=options.timeout_graceful_shutdown,
        proxy_headers=True,
        lifespan="off",  # Django has no ASGI lifespan events
        log_level="info",
    )
    server = uvicorn.Server(config)
    sock = listening_socket(options.host, options.port)

    def tell_when_started() -> None:
        while not server.should_exit:
            if server.started:
                started.set()
                return
            time.sleep(0.05)

    threading.Thread(target=tell_when_started, daemon=True).start()
    server.run(sockets=[sock])


class Supervisor:
    def __init__(self, options: ServeOptions, workers: int) -> None:
        self.options = options
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")  # a clean interpreter per worker
        self.stopping = threading.Event()
        self.processes: list[tuple[Any, EventType]] = []

    def _start_one(self) -> tuple[Any, EventType]:
        started = self.context.Event()
        process = self.context.Process(target=_worker, args=(self.options, started), daemon=False)
        process.start()
        return process, started

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> int:
        # Fail at once, in the foreground, if another program holds the port.
        listening_socket(self.options.host, self.options.port).close()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.processes = [self._start_one() for _ in range(self.workers)]
        announced = False
        while not self.stopping.wait(0.2):
            if not announced and all(started.is_set() for _, started in self.processes):
                announced = True
                logger.info(
                    "Streetlight is serving on %s:%s with %d worker processes",
                    self.options.host,
                    self.options.port,
                    self.workers,
                )
            for i, (process, _started) in enumerate(self.processes):
                if not process.is_alive() and not self.stopping.is_set():
                    logger.error("worker %s ended (exit code %s); starting another", process.pid, process.exitcode)
                    self.stopping.wait(RESTART_PAUSE_S)
                    self.processes[i] = self._start_one()
        return self._shutdown()

    def _shutdown(self) -> int:
        for process, _ in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process, _ in self.processes:
            process.join(STOP_GRACE_S)
            if process.is_alive():
                process.kill()
                process.join()
        return 0


def serve(options: ServeOptions, *, workers: int) -> int:
    """Serve until SIGTERM or SIGINT; 1 if the port is taken."""
    try:
        return Supervisor(options, max(1, workers)).run()
    except PortUnavailable as exc:
        logger.error("%s", exc)
        return 1


def main(argv: list[str] | None = None) -> int:
    """`python -m streetlight.cli.serving`, which `streetlight serve` becomes once static files are
    collected."""
    parser = argparse.ArgumentParser(prog="streetlight serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-access-log", action="store_true")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(LineFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), handlers=[handler])
    options = ServeOptions(
        app="streetlight.asgi:application", host=args.host, port=args.port, access_log=not args.no_access_log
    )
    return serve(options, workers=args.workers)


if __name__ == "__main__":
    sys.exit(main())
