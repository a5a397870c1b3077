"""What a resident hands us to start a walk, as plain typed data (the form builds it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True, kw_only=True)
class ContactDraft:
    email: str
    name: str = ""
    slot: int = 0  # the form's row (1-5), so an error names the field the resident typed in


@dataclass(frozen=True, kw_only=True)
class WalkDraft:
    destination: str
    contacts: tuple[ContactDraft, ...]
    resident_name: str = ""
    arrival_minutes: int | None = None
    arrival_time: time | None = None
    alert_control_room: bool = False
    language: str = "en"
    destination_lat: float | None = None
    destination_lon: float | None = None
