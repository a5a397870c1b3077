"""Walks started through the real service, with the clock passed in by the test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core import mail

from streetlight.companion.drafts import ContactDraft, WalkDraft
from streetlight.companion.services import Started, walk_start

StartWalk = Callable[..., Started]
CONTACTS = ("ana@example.org", "ben@example.org")


def draft(
    *,
    minutes: int = 20,
    control_room: bool = False,
    emails: tuple[str, ...] = CONTACTS,
    language: str = "en",
    **extra: Any,
) -> WalkDraft:
    return WalkDraft(
        destination="Home, Via dei Tigli 4",
        contacts=tuple(ContactDraft(email=e, name=f"Friend {i}", slot=i) for i, e in enumerate(emails, start=1)),
        resident_name="Mia",
        arrival_minutes=minutes,
        alert_control_room=control_room,
        language=language,
        **extra,
    )


@pytest.fixture
def start_walk(db: None) -> StartWalk:
    def start(*, now: datetime | None = None, **kwargs: Any) -> Started:
        started = walk_start(draft=draft(**kwargs), now=now)
        mail.outbox.clear()
        return started

    return start


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "destination": "Home",
        "arrival_minutes": "25",
        "arrival_time": "",
        "resident_name": "Mia",
        "language": "en",
        "contact_email_1": "ana@example.org",
        "contact_name_1": "Ana",
        "contact_email_2": "ben@example.org",
    }
    data.update(changes)
    return data
