"""Field-by-field checks of an alert draft, so an operator reads "expires: must be after the onset"
rather than an XSD error; the CAP schema and the toolkit's CAP rules run afterwards as a last guard."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import shapely
from django.conf import settings
from django.utils.translation import gettext as _

from streetlight.toolkit.formats.cap import CATEGORIES, RESPONSE_TYPES, CapProblem

from .drafts import AlertDraft, AreaDraft
from .models import Alert

Errors = dict[str, list[str]]
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
MAX_POLYGON_POINTS = 1000
MAX_RADIUS_KM = 100.0


def draft_errors(draft: AlertDraft, *, now: datetime, area_codes: set[str], topic_codes: set[str]) -> Errors:
    """Every problem with the draft, keyed by the form/API field it belongs to."""
    errors: Errors = defaultdict(list)
    _check_choices(draft, errors)
    _check_infos(draft, errors)
    _check_times(draft, now, errors)
    _check_area(draft.area, area_codes, errors)
    for code in draft.topics:
        if code not in topic_codes:
            errors["topics"].append(_("Unknown topic %(code)s.") % {"code": code})
    if draft.scope == Alert.Scope.RESTRICTED and not draft.restriction.strip():
        errors["restriction"].append(_("Say who may see a restricted warning."))
    if draft.scope == Alert.Scope.PRIVATE and not draft.addresses:
        errors["addresses"].append(_("A private warning needs at least one address."))
    return {field: messages for field, messages in errors.items() if messages}


def _check_choices(draft: AlertDraft, errors: Errors) -> None:
    fields = {
        "kind": (draft.kind, Alert.Kind.values),
        "status": (draft.status, Alert.Status.values),
        "scope": (draft.scope, Alert.Scope.values),
        "urgency": (draft.urgency, Alert.Urgency.values),
        "severity": (draft.severity, Alert.Severity.values),
        "certainty": (draft.certainty, Alert.Certainty.values),
    }
    for name, (value, allowed) in fields.items():
        if value not in allowed:
            errors[name].append(_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    if not draft.cap_categories:
        errors["cap_categories"].append(_("Choose at least one CAP category."))
    for value in draft.cap_categories:
        if value not in CATEGORIES:
            errors["cap_categories"].append(_("Unknown CAP category %(value)s.") % {"value": value})
    for value in draft.response_types:
        if value not in RESPONSE_TYPES:
            errors["response_types"].append(_("Unknown response type %(value)s.") % {"value": value})


def _check_infos(draft: AlertDraft, errors: Errors) -> None:
    if not draft.infos:
        errors["infos"].append(_("Write the warning in at least one language."))
    seen: set[str] = set()
    for i, info in enumerate(draft.infos):
        where = f"infos[{i}]"
        if info.language not in LANGUAGE_CODES:
            errors[f"{where}.language"].append(
                _("Unknown language code %(code)s; use one of %(codes)s.")
                % {"code": info.language, "codes": ", ".join(LANGUAGE_CODES)}
            )
        elif info.language in seen:
            errors[f"{where}.language"].append(_("This language is already written above."))
        seen.add(info.language)
        for name, limit, required in (("event", 120, True), ("headline", 160, True), ("description", 4000, True)):
            value = getattr(info, name).strip()
            if required and not value:
                errors[f"{where}.{name}"].append(_("This field is required."))
            elif len(value) > limit:
                errors[f"{where}.{name}"].append(_("At most %(limit)d characters.") % {"limit": limit})
        if len(info.instruction) > 2000:
            errors[f"{where}.instruction"].append(_("At most %(limit)d characters.") % {"limit": 2000})


def _check_times(draft: AlertDraft, now: datetime, errors: Errors) -> None:
    for name in ("expires", "onset"):
        value = getattr(draft, name)
        if value is not None and value.tzinfo is None:
            errors[name].append(_("Give a time zone with the time."))
            return
    if draft.expires <= now:
        errors["expires"].append(_("The warning must expire in the future."))
    if draft.onset is not None and draft.expires <= draft.onset:
        errors["expires"].append(_("The expiry must be after the onset."))


def _check_area(area: AreaDraft, area_codes: set[str], errors: Errors) -> None:
    given = [x for x in (area.area_code, area.polygon, area.circle) if x]
    if len(given) != 1:
        errors["area"].append(_("Give exactly one of: a city area, a polygon or a circle."))
        return
    if area.area_code and area.area_code not in area_codes:
        errors["area"].append(_("Unknown area %(code)s.") % {"code": area.area_code})
    if area.polygon:
        errors["area"].extend(polygon_errors(area.polygon))
    if area.circle:
        lat, lon, radius = area.circle
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["area"].append(_("The circle's centre is not a valid latitude and longitude."))
        if not 0 < radius <= MAX_RADIUS_KM:
            errors["area"].append(
                _("The radius must be more than 0 and at most %(max)d km.") % {"max": int(MAX_RADIUS_KM)}
            )
    if len(area.description) > 200:
        errors["area_description"].append(_("At most %(limit)d characters.") % {"limit": 200})


def polygon_errors(ring: tuple[tuple[float, float], ...]) -> list[str]:
    """CAP polygons: at least four (lat, lon) points, the last equal to the first, not crossing itself."""
    if len(ring) < 4:
        return [_("A polygon needs at least four points, the last one equal to the first.")]
    if len(ring) > MAX_POLYGON_POINTS:
        return [_("A polygon may have at most %(max)d points.") % {"max": MAX_POLYGON_POINTS}]
    if any(not (-90 <= lat <= 90 and -180 <= lon <= 180) for lat, lon in ring):
        return [_("Every point must be a valid latitude and longitude.")]
    if tuple(ring[0]) != tuple(ring[-1]):
        return [_("The polygon is not closed: its last point must equal its first.")]
    polygon = shapely.Polygon([(lon, lat) for lat, lon in ring])
    if not polygon.is_valid:
        return [_("The polygon crosses itself (%(reason)s).") % {"reason": shapely.is_valid_reason(polygon)}]
    return []


def problems_as_errors(problems: list[CapProblem]) -> Errors:
    """The toolkit's CAP problems, filed under the field they concern (area, times, texts)."""
    errors: Errors = defaultdict(list)
    for problem in problems:
        path = problem.path
        field = (
            "area"
            if ".area" in path
            else "expires"
            if path.endswith(("expires", "onset"))
            else "restriction"
            if path.endswith("restriction")
            else "addresses"
            if path.endswith("addresses")
            else "document"
        )
        errors[field].append(f"{path}: {problem.message}")
    return dict(errors)
