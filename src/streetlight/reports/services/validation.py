"""Check a draft against the city's data (categories, areas, the city's outline, time).

Shape checks (types, required keys) happen in the form or API schema; this is where the rules
that need the database live, so they are the same for every channel."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.toolkit.geo import validate_lat_lon

from ..catalog_cache import active_categories
from ..drafts import ReportDraft
from ..enums import INTERPRETER_LANGUAGE_MAX, DayNight, Kind, LocationKind, Need, UnsafeReason, WhenKind
from ..errors import ReportInvalid
from ..geo import area_index, areas_by_code
from ..models import Area, Category

MAX_DESCRIPTION = 5000
MAX_AGE = timedelta(days=3653)
CLOCK_SKEW = timedelta(minutes=10)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class CheckedDraft:
    category: Category
    area: Area | None
    occurred_from: datetime
    occurred_to: datetime | None


def _check_category(code: str, errors: dict[str, str]) -> Category | None:
    category = active_categories.get().get(code)
    if category is None:
        errors["category"] = _("Choose a category from the list.")
    return category


def _check_when(draft: ReportDraft, now: datetime, errors: dict[str, str]) -> tuple[datetime, datetime | None]:
    if draft.when == WhenKind.NOW:
        return now, None
    if draft.when not in WhenKind.values:
        errors["when"] = _("Say when it happened: now, at a moment, or between two moments.")
        return now, None
    start, end = draft.occurred_from, draft.occurred_to
    if start is None:
        errors["occurred_from"] = _("Give the date and time it happened.")
        return now, None
    if timezone.is_naive(start) or (end is not None and timezone.is_naive(end)):
        errors["occurred_from"] = _("Give the time with its time zone.")
        return now, None
    if start > now + CLOCK_SKEW:
        errors["occurred_from"] = _("The date and time cannot be in the future.")
    elif start < now - MAX_AGE:
        errors["occurred_from"] = _("The date is more than ten years ago; please check it.")
    if draft.when == WhenKind.RANGE:
        if end is None:
            errors["occurred_to"] = _("Give the end of the period.")
        elif end < start:
            errors["occurred_to"] = _("The end of the period must come after its start.")
        elif end > now + CLOCK_SKEW:
            errors["occurred_to"] = _("The date and time cannot be in the future.")
        return start, end
    return start, None


def _check_location(draft: ReportDraft, errors: dict[str, str]) -> Area | None:
    if draft.location == LocationKind.NONE:
        return None
    if draft.location == LocationKind.AREA:
        area = areas_by_code.get().get(draft.area) if draft.area else None
        if area is None:
            errors["area"] = _("Choose an area from the list.")
        return area
    if draft.location != LocationKind.POINT:
        errors["location"] = _("Choose how to give the place: a point, an area, or not at all.")
        return None
    if draft.lat is None or draft.lon is None:
        errors["lat"] = _("Put a pin on the map or give the coordinates.")
        return None
    try:
        validate_lat_lon(draft.lat, draft.lon)
    except ValueError as exc:
        field = "lon" if "longitude" in str(exc) else "lat"
        errors[field] = (
            _("The longitude must be a number between -180 and 180.")
            if field == "lon"
            else _("The latitude must be a number between -90 and 90.")
        )
        return None
    if draft.precision_m is not None and not 1 <= draft.precision_m <= 50_000:
        errors["precision_m"] = _("The precision must be between 1 and 50,000 metres.")
    index = area_index()
    if index is None:
        return None
    code = index.locate(draft.lat, draft.lon)
    if code is None:
        errors["lat"] = _("This place is outside %(city)s. Move the pin inside the city.") % {
            "city": settings.STREETLIGHT["CITY_NAME"]
        }
        return None
    return areas_by_code.get().get(code)


def _check_text_and_contact(draft: ReportDraft, kind: str, errors: dict[str, str]) -> None:
    text = draft.description.strip()
    if kind != Kind.FEELING and not text:
        errors["description"] = _("Describe what happened in a few words.")
    if len(draft.description) > MAX_DESCRIPTION:
        errors["description"] = _("The description is too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION}
    if draft.language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language.")
    contact = draft.contact
    if contact is None or contact.empty:
        return
    if not draft.consent.contact:
        errors["consent.contact"] = _("You gave contact details: tick “You may contact me” or remove them.")
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["contact.email"] = _("Enter a valid e-mail address, like name@example.org.")
    digits = [c for c in contact.phone if c.isdigit()]
    if contact.phone and (
        len(digits) < 6 or len(digits) > 16 or any(c not in "+0123456789 ()-./" for c in contact.phone)
    ):
        errors["contact.phone"] = _("Enter a valid phone number, like +39 011 123 4567.")
    if len(contact.name) > 200:
        errors["contact.name"] = _("The name is too long.")


def _check_no_nul(draft: ReportDraft, errors: dict[str, str]) -> None:
    """A NUL character cannot be stored by PostgreSQL: refuse it, naming the field."""
    contact = draft.contact
    texts = {
        "description": draft.description,
        "address": draft.address,
        "category": draft.category,
        "contact.name": contact.name if contact else "",
        "contact.email": contact.email if contact else "",
        "contact.phone": contact.phone if contact else "",
        "interpreter_language": draft.interpreter_language,
    }
    for field, value in texts.items():
        if "\x00" in value:
            errors[field] = _("This text contains a character we cannot store (NUL). Remove it and try again.")


def _check_feeling(draft: ReportDraft, kind: str, errors: dict[str, str]) -> None:
    if draft.safety_score is not None and not 1 <= draft.safety_score <= 5:
        errors["safety_score"] = _("Choose how safe you felt, from 1 to 5.")
    if kind == Kind.FEELING and draft.safety_score is None:
        errors["safety_score"] = _("Choose how safe you felt, from 1 to 5.")
    if any(reason not in UnsafeReason.values for reason in draft.unsafe_reasons):
        errors["unsafe_reasons"] = _("Choose the reasons from the list.")
    if draft.day_night and draft.day_night not in DayNight.values:
        errors["day_night"] = _("Choose day or night.")


def _check_needs(draft: ReportDraft, errors: dict[str, str]) -> None:
    """The needs come from the list; a language is for the interpreter, so it needs that box ticked."""
    if any(need not in Need.values for need in draft.needs):
        errors["needs"] = _("Choose the help you would like from the list.")
    language = draft.interpreter_language.strip()
    if len(language) > INTERPRETER_LANGUAGE_MAX:
        errors["interpreter_language"] = _("The language is too long: at most %(n)d characters.") % {
            "n": INTERPRETER_LANGUAGE_MAX
        }
    elif language and Need.INTERPRETER not in draft.needs:
        errors["interpreter_language"] = _("You gave a language: tick “An interpreter” or leave the language empty.")


def needs_in_order(needs: tuple[str, ...]) -> list[str]:
    """Each need once, in the order of the list people see (the urgent one first)."""
    return [need for need in Need.values if need in needs]


def check_draft(draft: ReportDraft, *, now: datetime) -> CheckedDraft:
    """Validate every field and raise one ReportInvalid naming all the wrong ones at once."""
    errors: dict[str, str] = {}
    _check_no_nul(draft, errors)
    if errors:
        raise ReportInvalid(errors)
    category = _check_category(draft.category, errors)
    kind = category.kind if category else ""
    occurred_from, occurred_to = _check_when(draft, now, errors)
    area = _check_location(draft, errors)
    _check_text_and_contact(draft, kind, errors)
    _check_feeling(draft, kind, errors)
    _check_needs(draft, errors)
    if draft.lat is not None and not math.isfinite(draft.lat):
        errors["lat"] = _("The latitude must be a number between -90 and 90.")
    if errors:
        raise ReportInvalid(errors)
    assert category is not None
    return CheckedDraft(category=category, area=area, occurred_from=occurred_from, occurred_to=occurred_to)
