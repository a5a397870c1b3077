"""The real ASGI application under uvicorn in a thread, for tests that need real HTTP and the live
stream (the live server of pytest-django speaks WSGI only)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


@contextlib.contextmanager
def asgi_server(app: Any) -> Iterator[str]:
    """Serve `app` on a free local port and yield its base URL. On PostgreSQL the live hub holds a
    LISTEN connection that outlives the stopped server's loop: it is ended so the test's flush can run."""
    from django.db import connection

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=3,  # open event streams would otherwise hold the shutdown
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if connection.vendor == "postgresql":
            end_listeners()


# The live hubs' LISTEN connections to the test database (the last statement each ran was LISTEN).
LISTENERS = (
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %%'"
)


def end_listeners() -> int:
    """End every live hub's LISTEN connection, as a failing network or server would; how many."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_terminate_backend(pid) {LISTENERS}")
        return sum(bool(ended) for (ended,) in cursor.fetchall())


def listening() -> bool:
    """Whether a live hub's LISTEN has run: a change committed from then on is notified to it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {LISTENERS} AND state = 'idle'")
        return bool(cursor.fetchone()[0])
