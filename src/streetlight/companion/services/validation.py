"""Checks of a walk's start and of a posted position, naming the field at fault."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .. import conf
from ..drafts import WalkDraft
from ..errors import WalkInvalid

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
MAX_DESTINATION = 200
MAX_NAME = 100


@dataclass(frozen=True)
class Fix:
    lat: float
    lon: float
    accuracy: float | None


def _number(value: object) -> float | None:
    """A JSON number (not a boolean, not NaN or infinite), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _expected_arrival(draft: WalkDraft, now: datetime, errors: dict[str, str]) -> datetime | None:
    longest = conf.hours("MAX_HOURS")
    if draft.arrival_minutes is not None and draft.arrival_time is not None:
        errors["arrival_minutes"] = _("Give either a time of arrival or a number of minutes, not both.")
        return None
    if draft.arrival_minutes is not None:
        if not 1 <= draft.arrival_minutes <= longest.total_seconds() // 60:
            errors["arrival_minutes"] = _("The number of minutes must be between 1 and %(n)d.") % {
                "n": longest.total_seconds() // 60
            }
            return None
        return now + timedelta(minutes=draft.arrival_minutes)
    if draft.arrival_time is None:
        errors["arrival_time"] = _("Say when you expect to arrive: a time, or a number of minutes.")
        return None
    local_now = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    at = datetime.combine(local_now.date(), draft.arrival_time, tzinfo=local_now.tzinfo)
    if at <= local_now:
        at += timedelta(days=1)  # 00:30 typed at 23:50 means tonight, not this morning
    if at - local_now > longest:
        errors["arrival_time"] = _("The time of arrival must be within the next %(n)d hours.") % {
            "n": conf.number("MAX_HOURS")
        }
        return None
    return at


def _check_contacts(draft: WalkDraft, errors: dict[str, str]) -> None:
    limit = conf.number("MAX_CONTACTS")
    if not draft.contacts:
        errors["contact_email_1"] = _("Give the e-mail address of at least one person you trust.")
    if len(draft.contacts) > limit:
        errors["contact_email_1"] = _("At most %(n)d contacts.") % {"n": limit}
    seen: set[str] = set()
    for n, contact in enumerate(draft.contacts, start=1):
        i = contact.slot or n
        try:
            validate_email(contact.email)
        except ValidationError:
            errors[f"contact_email_{i}"] = _("Enter a valid e-mail address, like name@example.org.")
            continue
        if contact.email.lower() in seen:
            errors[f"contact_email_{i}"] = _("This address is already in the list.")
        seen.add(contact.email.lower())
        if len(contact.name) > MAX_NAME:
            errors[f"contact_name_{i}"] = _("The name is too long: at most %(n)d characters.") % {"n": MAX_NAME}


def start_check(draft: WalkDraft, *, now: datetime) -> datetime:
    """Validate every field at once; return the expected arrival."""
    errors: dict[str, str] = {}
    texts = {"destination": draft.destination, "resident_name": draft.resident_name}
    texts |= {f"contact_name_{c.slot or i}": c.name for i, c in enumerate(draft.contacts, start=1)}
    for field, text in texts.items():
        if "\x00" in text:
            errors[field] = _("This text contains a character we cannot store (NUL). Remove it and try again.")
    if not draft.destination.strip():
        errors["destination"] = _("Say where you are going, in a few words (for example “home”).")
    elif len(draft.destination) > MAX_DESTINATION:
        errors["destination"] = _("The destination is too long: at most %(n)d characters.") % {"n": MAX_DESTINATION}
    if len(draft.resident_name) > MAX_NAME:
        errors["resident_name"] = _("The name is too long: at most %(n)d characters.") % {"n": MAX_NAME}
    if draft.language not in LANGUAGE_CODES:
        errors["language"] = _("Choose a language from the list.")
    if (draft.destination_lat is None) != (draft.destination_lon is None):
        errors["destination_lat"] = _("Give both the latitude and the longitude of the destination, or neither.")
    elif draft.destination_lat is not None and draft.destination_lon is not None:
        if not -90 <= draft.destination_lat <= 90 or not math.isfinite(draft.destination_lat):
            errors["destination_lat"] = _("The latitude must be a number between -90 and 90.")
        if not -180 <= draft.destination_lon <= 180 or not math.isfinite(draft.destination_lon):
            errors["destination_lon"] = _("The longitude must be a number between -180 and 180.")
    _check_contacts(draft, errors)
    expected = _expected_arrival(draft, now, errors)
    if errors:
        raise WalkInvalid(errors)
    assert expected is not None
    return expected


def fix_check(data: object) -> Fix:
    """A position posted by the browser: {"lat": …, "lon": …, "accuracy": …} (accuracy optional)."""
    if not isinstance(data, dict):
        raise WalkInvalid({"body": _("Send a JSON object with lat, lon and accuracy.")})
    errors: dict[str, str] = {}
    lat, lon = _number(data.get("lat")), _number(data.get("lon"))
    if lat is None or not -90 <= lat <= 90:
        errors["lat"] = _("The latitude must be a number between -90 and 90.")
    if lon is None or not -180 <= lon <= 180:
        errors["lon"] = _("The longitude must be a number between -180 and 180.")
    accuracy = None
    if data.get("accuracy") is not None:
        accuracy = _number(data["accuracy"])
        if accuracy is None or not 0 <= accuracy <= 100_000:
            errors["accuracy"] = _("The accuracy must be a number of metres between 0 and 100,000.")
    if errors:
        raise WalkInvalid(errors)
    assert lat is not None and lon is not None
    return Fix(lat=lat, lon=lon, accuracy=accuracy)
