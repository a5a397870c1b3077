"""The report lifecycle as data: a transition table and one checking function.

Kept free of Django so the table can be read, tested and drawn on its own (Signalen's
workflow.py idea, without its size)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_REPORTER = "waiting_for_reporter"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_FOR_REPORTER, Status.REOPENED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {Status.IN_PROGRESS, Status.WAITING_FOR_REPORTER, Status.RESOLVED, Status.REJECTED, Status.MERGED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.WAITING_FOR_REPORTER, Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.MERGED}
    ),
    Status.WAITING_FOR_REPORTER: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REJECTED: frozenset({Status.REOPENED}),
    Status.MERGED: frozenset(),
    Status.REOPENED: frozenset(
        {Status.IN_PROGRESS, Status.WAITING_FOR_REPORTER, Status.RESOLVED, Status.CLOSED, Status.REJECTED}
    ),
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


def check_transition(current: str, target: str) -> Status:
    """Return the target status if the lifecycle allows it, else raise TransitionError."""
    try:
        src, dst = Status(current), Status(target)
    except ValueError as exc:
        raise TransitionError(f"unknown status: {exc}") from exc
    if dst not in TRANSITIONS[src]:
        raise TransitionError(f"a report cannot go from {src.value} to {dst.value}")
    return dst


def is_open(status: str) -> bool:
    return Status(status) in OPEN_STATUSES
