"""CAP 1.2 as plain frozen dataclasses, its enumerations, and the text forms of its values.

Dataclasses rather than XML trees so the platform, a notebook and the tests build, compare and
hash alerts like any other value; the XML lives only in `document.py`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ..errors import FormatError

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")

#: What an <info> without <language> means (the XSD's default).
DEFAULT_LANGUAGE = "en-US"


@dataclass(frozen=True)
class CapReference:
    """One earlier message this one refers to: an entry "sender,identifier,sent" of <references>."""

    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True)
class CapArea:
    """Where an <info> applies. Positions are (lat, lon) in WGS84, in CAP's order (not GeoJSON's)."""

    description: str
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()  # closed rings: first == last
    circles: tuple[tuple[float, float, float], ...] = ()  # (lat, lon, radius_km)
    geocodes: tuple[tuple[str, str], ...] = ()  # (valueName, value)
    altitude: float | None = None
    ceiling: float | None = None


@dataclass(frozen=True)
class CapResource:
    """A file that goes with an <info>: an image, a map, an audio message.

    `deref_uri` (CAP's <derefUri>, the file itself in base64) is an addition to the agreed interface,
    so documents that carry it survive a read and a write."""

    description: str
    mime_type: str
    size: int | None = None
    uri: str | None = None
    digest: str | None = None
    deref_uri: str | None = None


@dataclass(frozen=True)
class CapInfo:
    """One audience's view of the alert: in one language, about one event, for some areas."""

    language: str
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    response_types: tuple[str, ...] = ()
    audience: str | None = None
    event_codes: tuple[tuple[str, str], ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()
    resources: tuple[CapResource, ...] = ()
    areas: tuple[CapArea, ...] = ()


@dataclass(frozen=True)
class CapAlert:
    """A CAP 1.2 <alert>. XML signatures (<ds:Signature>) are not kept: a re-written alert is a new
    document and would need a new signature anyway."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    source: str | None = None
    restriction: str | None = None
    addresses: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: tuple[CapReference, ...] = ()
    incidents: tuple[str, ...] = ()
    infos: tuple[CapInfo, ...] = ()


@dataclass(frozen=True)
class CapProblem:
    """One thing wrong with a document, at a path such as "alert.info[1].area[0].polygon[0]"."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CapError(FormatError):
    """A CAP (or EDXL-DE) document that cannot be read or written; `problems` says where and why."""

    def __init__(self, problems: Sequence[CapProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(map(str, self.problems)) or "invalid CAP document")


# -- text forms of values --------------------------------------------------------------------------

_CAP_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def format_datetime(value: datetime) -> str:
    """CAP's form: whole seconds and a numeric offset, UTC as "-00:00" (CAP 1.2 §3.3.2 forbids "Z")."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("a CAP date-time needs a time zone")
    text = value.isoformat(timespec="seconds")
    return text[:-6] + "-00:00" if offset == timedelta(0) else text


def parse_datetime(text: str) -> datetime:
    """Read a date-time with an explicit offset. "Z" and fractions of a second are accepted here,
    since they are unambiguous; validate_cap reports them because CAP forbids them."""
    value = text.strip()
    if not _CAP_DATETIME.fullmatch(value):
        raise ValueError(f"{value!r} is not a date and time with its offset, like 2026-11-24T08:00:00+01:00")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time that exists") from None


def format_number(value: float) -> str:
    """The shortest decimal that reads back as the same float, never in exponent form (xs:decimal
    and the CAP coordinate lists have no exponents)."""
    text = format(Decimal(repr(float(value))), "f")
    return text if "." in text else text + ".0"


def parse_number(text: str) -> float:
    """A finite float; "nan" and "inf" are not places."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def split_list(text: str) -> tuple[str, ...]:
    """A space-separated CAP list (<addresses>, <incidents>): items with spaces are in double quotes."""
    return tuple(plain or quoted for quoted, plain in _TOKEN.findall(text))


def join_list(items: Iterable[str]) -> str:
    """The inverse of split_list: items containing whitespace are enclosed in double quotes."""
    return " ".join(f'"{item}"' if re.search(r"\s", item) or not item else item for item in items)


def format_references(references: Iterable[CapReference]) -> str:
    return " ".join(f"{ref.sender},{ref.identifier},{format_datetime(ref.sent)}" for ref in references)
