"""Checks of a walk or an audit that need the city's data (areas, the city's outline, the clock).

Every wrong field is named at once, with the same keys for every channel, so the form can put each
message beside its field."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.reports.drafts import PhotoUpload
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.geo import area_index
from streetlight.reports.models import Area
from streetlight.reports.services.photos import CleanPhoto, check_photos, clean_photo

from .drafts import AuditDraft, PointDraft, WalkDraft, WalkInvalid
from .parameters import BY_CODE, CODES, FEELING, MAX_RATING, MIN_RATING

MAX_POINTS = 40
MAX_COMMENT = 2000
MAX_POINT_COMMENT = 1000
MAX_ROUTE_POSITIONS = 1000
WALK_PAST = timedelta(days=30)
WALK_AHEAD = timedelta(days=366)
NUL = "\x00"


@dataclass(frozen=True)
class CheckedPoint:
    draft: PointDraft
    lat: float
    lon: float
    area: Area | None
    photos: list[CleanPhoto]


def _no_nul(value: str, key: str, errors: dict[str, str]) -> None:
    if NUL in value:
        errors[key] = _("This text contains a character we cannot store (NUL). Remove it and try again.")


def _outside_city() -> str:
    return _("This place is outside %(city)s. Move the pin inside the city.") % {
        "city": settings.STREETLIGHT["CITY_NAME"]
    }


def _place(lat: Any, lon: Any, prefix: str, errors: dict[str, str]) -> tuple[bool, str | None]:
    """(valid, area code) of a position; an error on `<prefix>lat` or `<prefix>lon` otherwise."""
    if lat is None or lon is None:
        errors[f"{prefix}lat"] = _("Put a pin on the map, use your location or give the coordinates.")
        return False, None
    if isinstance(lat, bool) or not isinstance(lat, int | float) or not math.isfinite(lat) or not -90 <= lat <= 90:
        errors[f"{prefix}lat"] = _("The latitude must be a number between -90 and 90.")
        return False, None
    if isinstance(lon, bool) or not isinstance(lon, int | float) or not math.isfinite(lon) or not -180 <= lon <= 180:
        errors[f"{prefix}lon"] = _("The longitude must be a number between -180 and 180.")
        return False, None
    index = area_index()
    if index is None:  # a city without areas yet: no outline to check against
        return True, None
    code = index.locate(float(lat), float(lon))
    if code is None:
        errors[f"{prefix}lat"] = _outside_city()
        return False, None
    return True, code


def _check_ratings(point: PointDraft, prefix: str, errors: dict[str, str]) -> None:
    unknown = sorted(set(point.ratings) - set(CODES))
    if unknown:
        errors[f"{prefix}{unknown[0]}"] = _("Unknown parameter.")
    for code in CODES:
        value = point.ratings.get(code)
        label = BY_CODE[code].label
        if value is None:
            if code == FEELING:
                errors[f"{prefix}{code}"] = _("Say how safe you feel here, from 0 (very unsafe) to 3 (safe).")
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
            errors[f"{prefix}{code}"] = _("Rate %(parameter)s from 0 (poor) to 3 (good), or leave it unrated.") % {
                "parameter": label
            }


def _check_photos(photos: tuple[PhotoUpload, ...], key: str, errors: dict[str, str]) -> list[CleanPhoto]:
    """The reports' photo checks and re-encoding (no EXIF, no GPS survive), errors moved to `key`."""
    try:
        check_photos(photos)
        return [clean_photo(photo) for photo in photos]
    except ReportInvalid as exc:
        errors[key] = " ".join(exc.errors.values())
        return []


def check_audit(draft: AuditDraft) -> list[CheckedPoint]:
    """Validate the whole audit and raise one WalkInvalid naming every wrong field."""
    errors: dict[str, str] = {}
    _no_nul(draft.comment, "comment", errors)
    if len(draft.comment) > MAX_COMMENT:
        errors["comment"] = _("The comment is too long: at most %(n)d characters.") % {"n": MAX_COMMENT}
    if draft.language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = _("Unknown language.")
    if not draft.points:
        errors["points"] = _("Add at least one point of your route.")
    elif len(draft.points) > MAX_POINTS:
        errors["points"] = _("An audit can have at most %(n)d points.") % {"n": MAX_POINTS}
    if "points" in errors:
        raise WalkInvalid(errors)
    checked: list[CheckedPoint] = []
    index = area_index()
    codes = {a.code: a for a in Area.objects.all()} if index is not None else {}
    for n, point in enumerate(draft.points):
        prefix = f"points.{n}."
        placed, area_code = _place(point.lat, point.lon, prefix, errors)
        _check_ratings(point, prefix, errors)
        _no_nul(point.comment, f"{prefix}comment", errors)
        if len(point.comment) > MAX_POINT_COMMENT:
            errors[f"{prefix}comment"] = _("The comment is too long: at most %(n)d characters.") % {
                "n": MAX_POINT_COMMENT
            }
        photos = _check_photos(point.photos, f"{prefix}photos", errors)
        if placed:
            assert point.lat is not None and point.lon is not None
            item = CheckedPoint(point, float(point.lat), float(point.lon), codes.get(area_code or ""), photos)
            checked.append(item)
    if errors:
        raise WalkInvalid(errors)
    return checked


def _check_route(route: object, errors: dict[str, str]) -> dict[str, Any] | None:
    if route in (None, "", {}):
        return None
    bad = _("Give the route as a GeoJSON LineString: at least two [longitude, latitude] positions.")
    if not isinstance(route, dict) or route.get("type") != "LineString":
        errors["route"] = bad
        return None
    positions = route.get("coordinates")
    if not isinstance(positions, list) or not 2 <= len(positions) <= MAX_ROUTE_POSITIONS:
        errors["route"] = bad
        return None
    clean: list[list[float]] = []
    for position in positions:
        if not isinstance(position, list) or len(position) < 2:
            errors["route"] = bad
            return None
        place_errors: dict[str, str] = {}
        ok, _code = _place(position[1], position[0], "", place_errors)
        if not ok:
            errors["route"] = (
                _("The route leaves %(city)s: keep it inside the city.") % {"city": settings.STREETLIGHT["CITY_NAME"]}
                if place_errors.get("lat") == _outside_city()
                else bad
            )
            return None
        clean.append([float(position[0]), float(position[1])])
    return {"type": "LineString", "coordinates": clean}


@dataclass(frozen=True)
class CheckedWalk:
    area: Area | None
    route: dict[str, Any] | None
    starts_at: datetime


def check_walk(draft: WalkDraft, *, agency_ids: set[int], now: datetime) -> CheckedWalk:
    """Validate a new walk for an organiser who may organise for `agency_ids`."""
    errors: dict[str, str] = {}
    for key, value in (("title", draft.title), ("meeting_point", draft.meeting_point), ("area", draft.area_code)):
        _no_nul(value, key, errors)
    if not draft.title.strip():
        errors["title"] = _("Give the walk a title.")
    elif len(draft.title) > 200:
        errors["title"] = _("The title is too long: at most 200 characters.")
    if len(draft.meeting_point) > 300:
        errors["meeting_point"] = _("The meeting point is too long: at most 300 characters.")
    if draft.agency_id not in agency_ids:
        errors["agency"] = _("Choose one of the agencies you organise walks for.")
    start = draft.starts_at
    if start is None:
        errors["starts_at"] = _("Give the date and time the walk starts.")
    elif timezone.is_naive(start):
        errors["starts_at"] = _("Give the time with its time zone.")
    elif start < now - WALK_PAST:
        errors["starts_at"] = _("The walk cannot start more than 30 days ago.")
    elif start > now + WALK_AHEAD:
        errors["starts_at"] = _("The walk cannot start more than a year from now.")
    area = None
    if draft.area_code and "area" not in errors:
        area = Area.objects.filter(code=draft.area_code).first()
        if area is None:
            errors["area"] = _("Choose an area from the list.")
    route = _check_route(draft.route, errors)
    if errors:
        raise WalkInvalid(errors)
    assert start is not None
    return CheckedWalk(area=area, route=route, starts_at=start)
