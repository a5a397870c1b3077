"""Open311 parameters in, typed values out; every bad parameter is named in its own error.

Shape checks live here; the rules that need the city's data (is the point inside the city, is the
e-mail valid) stay in the report intake, and their field names are mapped back to Open311's."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import QueryDict
from django.utils.translation import gettext as _

from streetlight.toolkit.formats.open311 import parse_datetime, xml_safe

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
UPDATES_PAGE_SIZE = 1000  # FixMyStreet reads one page per poll: give it all of a short window
WINDOW = timedelta(days=90)
MAX_DESCRIPTION = 4000  # the spec's limit, and the JSON schema's
MAX_LENGTHS = {"address_string": 300, "email": 254, "first_name": 100, "last_name": 100, "phone": 40}

#: Report intake field -> Open311 parameter, for errors raised by the intake.
INTAKE_FIELDS = {
    "category": "service_code",
    "lat": "lat",
    "lon": "long",
    "location": "lat",
    "description": "description",
    "language": "locale",
    "contact.email": "email",
    "contact.phone": "phone",
    "contact.name": "first_name",
    "consent.contact": "email",
}


class Open311Problem(Exception):
    """An answer in Open311's error format: one (parameter, sentence) pair per error."""

    def __init__(self, status: int, errors: list[tuple[str, str]], headers: Mapping[str, str] | None = None):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})

    @property
    def descriptions(self) -> list[str]:
        return [f"{name}: {message}" if name else message for name, message in self.errors]


def intake_errors(errors: Mapping[str, str]) -> Open311Problem:
    """A 400 naming Open311 parameters for the intake's field errors."""
    return Open311Problem(400, [(INTAKE_FIELDS.get(field, field), message) for field, message in errors.items()])


def flatten(data: QueryDict) -> dict[str, str]:
    """One string per parameter; repeated parameters join with commas, as the spec allows
    (`status=open&status=closed` means `status=open,closed`). Blank means absent."""
    values = {key: ",".join(v for v in items if v.strip()) for key, items in data.lists()}
    return {key: value.strip() for key, value in values.items() if value.strip()}


def _text(data: Mapping[str, str], name: str, errors: list[tuple[str, str]], *, limit: int) -> str:
    value = data.get(name, "")
    if xml_safe(value) != value:
        errors.append((name, _("Remove the control characters from this text.")))
    elif len(value) > limit:
        errors.append((name, _("This is too long: at most %(n)d characters.") % {"n": limit}))
    return value


def _coordinate(data: Mapping[str, str], name: str, errors: list[tuple[str, str]]) -> float | None:
    raw = data.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        errors.append((name, _("Give the coordinate as a decimal number in WGS84, like 45.0703.")))
        return None
    # Same sentences as the report intake, which checks again: every error is named in one answer.
    if name == "lat" and not -90 <= value <= 90:
        errors.append((name, _("The latitude must be a number between -90 and 90.")))
    elif name == "long" and not -180 <= value <= 180:
        errors.append((name, _("The longitude must be a number between -180 and 180.")))
    return value


@dataclass(frozen=True)
class Submission:
    """A POST requests body, checked for shape."""

    service_code: str
    description: str
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


def parse_submission(data: Mapping[str, str], *, service_exists: Callable[[str], bool]) -> Submission:
    """Check a POST requests body. `media_url`, `device_id`, `account_id` and `attribute[...]` are
    accepted and not kept: we take no media by link, and keep no device or account identifiers."""
    errors: list[tuple[str, str]] = []
    code = data.get("service_code", "")
    if not code:
        errors.append(("service_code", _("Give the service_code of one of the services.")))
    elif not service_exists(code):
        errors.append(("service_code", _("This service_code is not one of the services.")))
    description = _text(data, "description", errors, limit=MAX_DESCRIPTION)
    if not description.strip() and not any(name == "description" for name, _m in errors):
        errors.append(("description", _("Describe what happened in a few words.")))
    lat, lon = _coordinate(data, "lat", errors), _coordinate(data, "long", errors)
    texts = {name: _text(data, name, errors, limit=limit) for name, limit in MAX_LENGTHS.items()}
    address = texts["address_string"].strip()
    if ("lat" in data) != ("long" in data):
        missing = "long" if "lat" in data else "lat"
        errors.append((missing, _("Send lat and long together.")))
    elif "lat" not in data and not address:
        message = (
            _("This server has no address register: send lat and long, or address_string.")
            if "address_id" in data
            else _("Say where: send lat and long, or address_string.")
        )
        errors.append(("lat", message))
    if errors:
        raise Open311Problem(400, errors)
    return Submission(
        service_code=code,
        description=description.strip(),
        lat=lat,
        lon=lon,
        address=address,
        email=texts["email"].strip(),
        first_name=texts["first_name"].strip(),
        last_name=texts["last_name"].strip(),
        phone=texts["phone"].strip(),
    )


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class RequestQuery:
    references: tuple[str, ...]
    codes: tuple[str, ...]
    statuses: frozenset[str]
    window: Window
    page: Page


def _list(data: Mapping[str, str], name: str, errors: list[tuple[str, str]], *, limit: int) -> tuple[str, ...]:
    raw = data.get(name, "")
    items = tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))
    if xml_safe(raw) != raw or any(len(item) > 64 for item in items):
        errors.append((name, _("Give identifiers separated by commas.")))
        return ()
    if len(items) > limit:
        errors.append((name, _("Ask for at most %(n)d at a time.") % {"n": limit}))
        return ()
    return items


def _moment(data: Mapping[str, str], name: str, errors: list[tuple[str, str]]) -> datetime | None:
    raw = data.get(name)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        errors.append((name, _("Use a date and time with its time zone, like 2010-01-01T00:00:00Z.")))
        return None
    if not 1970 <= value.year <= 9000:
        errors.append((name, _("This date is out of range.")))
        return None
    return value


def _window(data: Mapping[str, str], now: datetime, errors: list[tuple[str, str]]) -> Window:
    """The spec's default window is the last 90 days; one bound given, the other is 90 days away."""
    start, end = _moment(data, "start_date", errors), _moment(data, "end_date", errors)
    if start is not None and end is not None:
        if end < start:
            errors.append(("end_date", _("The end_date must come after the start_date.")))
        elif end - start > WINDOW:
            errors.append(("end_date", _("The start_date and end_date may be at most 90 days apart.")))
    if start is None and end is None:
        return Window(start=now - WINDOW, end=now)
    if start is None:
        assert end is not None
        return Window(start=end - WINDOW, end=end)
    return Window(start=start, end=end if end is not None else start + WINDOW)


def _number(data: Mapping[str, str], name: str, default: int, high: int, errors: list[tuple[str, str]]) -> int:
    raw = data.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= high:
        errors.append((name, _("Give a whole number from 1 to %(n)d.") % {"n": high}))
        return default
    return int(raw)


def _page(data: Mapping[str, str], default_size: int, max_size: int, errors: list[tuple[str, str]]) -> Page:
    return Page(
        number=_number(data, "page", 1, 1_000_000, errors),
        size=_number(data, "page_size", default_size, max_size, errors),
    )


def parse_request_query(data: Mapping[str, str], *, now: datetime) -> RequestQuery:
    """Check the GET requests filters; all are validated even when service_request_id overrides them."""
    errors: list[tuple[str, str]] = []
    references = _list(data, "service_request_id", errors, limit=MAX_PAGE_SIZE)
    codes = _list(data, "service_code", errors, limit=100)
    statuses = frozenset(s.strip().lower() for s in data.get("status", "").split(",") if s.strip())
    if not statuses <= {"open", "closed"}:
        errors.append(("status", _("Use open, closed, or both separated by a comma.")))
    window = _window(data, now, errors)
    page = _page(data, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, errors)
    if errors:
        raise Open311Problem(400, errors)
    return RequestQuery(references=references, codes=codes, statuses=statuses, window=window, page=page)


@dataclass(frozen=True)
class UpdateQuery:
    window: Window
    page: Page


def parse_update_query(data: Mapping[str, str], *, now: datetime) -> UpdateQuery:
    errors: list[tuple[str, str]] = []
    window = _window(data, now, errors)
    page = _page(data, UPDATES_PAGE_SIZE, UPDATES_PAGE_SIZE, errors)
    if errors:
        raise Open311Problem(400, errors)
    return UpdateQuery(window=window, page=page)
