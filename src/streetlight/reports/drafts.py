"""What a reporter hands us, as plain typed data: the web form, the JSON API and Open311 all build
a ReportDraft, and one service validates and stores it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from .enums import LocationKind, WhenKind


@dataclass(frozen=True, kw_only=True)
class Consent:
    police: bool
    victim_support: bool
    social_services: bool
    city: bool
    contact: bool
    public_statistics: bool


@dataclass(frozen=True, kw_only=True)
class ContactDraft:
    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.email.strip() or self.phone.strip())


@dataclass(frozen=True, kw_only=True)
class PhotoUpload:
    name: str
    content: bytes


@dataclass(frozen=True, kw_only=True)
class ReportDraft:
    category: str
    consent: Consent
    description: str = ""
    language: str = "en"
    when: str = WhenKind.NOW
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    location: str = LocationKind.NONE
    lat: float | None = None
    lon: float | None = None
    precision_m: int | None = None
    area: str | None = None
    address: str = ""
    contact: ContactDraft | None = None
    safety_score: int | None = None
    unsafe_reasons: tuple[str, ...] = ()
    day_night: str = ""
    # The needs assessment: enums.Need codes, and the language for an interpreter (free text).
    needs: tuple[str, ...] = ()
    interpreter_language: str = ""
    photos: tuple[PhotoUpload, ...] = field(default=(), repr=False)

    def fingerprint(self) -> str:
        """A stable hash of the content, so a reused Idempotency-Key with other content is caught."""
        data = asdict(self)
        data["photos"] = [hashlib.sha256(p.content).hexdigest() for p in self.photos]
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()
