"""What an operator, a rule or the business community hands the alerts service: plain data, checked
field by field before anything becomes a CAP message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InfoDraft:
    """The texts of one language; CAP carries one `info` block per language."""

    language: str
    event: str
    headline: str
    description: str
    instruction: str = ""


@dataclass(frozen=True)
class AreaDraft:
    """Exactly one of: a city area (by code), a polygon (a closed ring of (lat, lon)), a circle
    ((lat, lon, radius_km))."""

    description: str = ""
    area_code: str | None = None
    polygon: tuple[tuple[float, float], ...] | None = None
    circle: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class AlertDraft:
    infos: tuple[InfoDraft, ...]
    area: AreaDraft
    expires: datetime
    kind: str = "warning"
    status: str = "Actual"
    scope: str = "Public"
    restriction: str = ""
    addresses: tuple[str, ...] = ()
    cap_categories: tuple[str, ...] = ("Safety",)
    topics: tuple[str, ...] = ()
    urgency: str = "Expected"
    severity: str = "Moderate"
    certainty: str = "Likely"
    response_types: tuple[str, ...] = ()
    onset: datetime | None = None
    note: str = ""
