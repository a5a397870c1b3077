"""A read replica for the analysts' screens (on when `DATABASE_REPLICA_URL` is set, see settings).

The analysts' dashboard counts, maps and charts a year of reports at a time. With a replica, those
reads go to a PostgreSQL hot standby, so they do not compete with intake and the control room on
the primary. A replica lags its primary by a moment: statistics may, but sign-in, sessions,
permissions, the audit chain, a privacy budget or anything an analyst has just edited may not. So
the replica is read only

- during a GET or HEAD request to the analysts' screens (`PATHS`, not `EXCLUDED_PATHS`: the event
  calendar is edited there, and an edit must show on the next page);
- for the report data those screens aggregate (`MODELS`); every other model is read on the primary;
- outside a transaction on the primary (a read next to a write must see that write).

Every write goes to the primary, always; migrations never run on the replica. A model left out of
`MODELS` is simply read on the primary, so the list can only err on the safe side."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PATHS = ("/insight/",)
EXCLUDED_PATHS = ("/insight/calendar/",)
MODELS = frozenset(
    {
        "reports.report",
        "reports.category",
        "reports.categorytext",
        "reports.area",
        "insight.recordedcrime",
        "insight.forecast",
        "feeds.post",
        "nightwalks.safetywalk",
        "nightwalks.walkaudit",
        "nightwalks.auditpoint",
    }
)

_reading = contextvars.ContextVar("streetlight_replica_reads", default=False)


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads of `MODELS` go to the replica (when not inside a transaction)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(*, method: str, path: str) -> bool:
    """Whether a request may read from the replica: the analysts' screens, read-only methods."""
    return method in ("GET", "HEAD") and path.startswith(PATHS) and not path.startswith(EXCLUDED_PATHS)


class ReplicaReadsMiddleware:
    """Marks the analysts' read-only requests; the router does the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not reads_replica(method=request.method or "", path=request.path_info):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)


class ReplicaRouter:
    """Reads of the analysts' report data to the replica in a marked request; all else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if _reading.get() and model._meta.label_lower in MODELS and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS  # an object read on the replica is saved on the primary too

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        """Both aliases hold the same data."""
        return {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA  # the replica follows the primary's schema by replication
