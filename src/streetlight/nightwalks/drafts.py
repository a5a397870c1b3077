"""What a walker hands us, as plain typed data: the form builds an AuditDraft, one service checks
and stores it. Errors name fields as `points.<n>.<field>` (n from 0) or the audit's own field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from streetlight.reports.drafts import PhotoUpload


class WalkInvalid(Exception):
    """One or more fields of a walk or an audit are wrong; `errors` maps a field path to a sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


class WalkNotFound(Exception):
    """No walk for this code or id, or the caller may not see it (one answer for both)."""


class WalkClosed(Exception):
    """The walk exists but takes no more audits."""


@dataclass(frozen=True, kw_only=True)
class PointDraft:
    lat: float | None
    lon: float | None
    ratings: Mapping[str, int | None]  # parameter code → 0–3, None when left unrated
    comment: str = ""
    photos: tuple[PhotoUpload, ...] = field(default=(), repr=False)


@dataclass(frozen=True, kw_only=True)
class AuditDraft:
    points: tuple[PointDraft, ...]
    comment: str = ""
    language: str = "en"
    idempotency_key: str | None = None


@dataclass(frozen=True, kw_only=True)
class WalkDraft:
    title: str
    agency_id: int | None
    starts_at: datetime | None
    meeting_point: str = ""
    area_code: str = ""
    route: object = None  # a GeoJSON LineString, as parsed JSON
