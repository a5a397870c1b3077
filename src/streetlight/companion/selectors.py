"""Reads of walks by their link tokens, and what each side of a walk may see."""

from __future__ import annotations

from typing import Any

from streetlight.core.tokens import hash_token

from .errors import WalkNotFound
from .models import Position, Walk


def walk_get_for_resident(*, token: str) -> Walk:
    walk = Walk.objects.filter(resident_token_hash=hash_token(token)).first()
    if walk is None:
        raise WalkNotFound(token)
    return walk


def walk_get_for_watcher(*, token: str) -> Walk:
    walk = Walk.objects.filter(watch_token_hash=hash_token(token)).first()
    if walk is None:
        raise WalkNotFound(token)
    return walk


def walk_last_position(*, walk: Walk) -> Position | None:
    if walk.finished or walk.purged_at is not None:
        return None
    return walk.positions.order_by("-recorded_at", "-pk").first()


def walk_contact_count(*, walk: Walk) -> int:
    return walk.contacts.count()


def walk_state(*, walk: Walk) -> dict[str, Any]:
    """What the contacts' page polls: status, times and the last position; nothing after the end."""
    last = walk_last_position(walk=walk)
    state: dict[str, Any] = {
        "status": walk.status,
        "status_label": str(walk.get_status_display()),
        "expected_arrival": walk.expected_arrival.isoformat(),
        "finished": walk.finished,
        "position": None,
    }
    if last is not None:
        state["position"] = {
            "lat": round(last.lat or 0, 6),
            "lon": round(last.lon or 0, 6),
            "accuracy": last.accuracy,
            "recorded_at": last.recorded_at.isoformat(),
        }
    return state


def walk_get_for_resident_pk(*, pk: int) -> Walk:
    """The same walk read again after a service changed it (the views hold no ORM queries)."""
    return Walk.objects.get(pk=pk)
