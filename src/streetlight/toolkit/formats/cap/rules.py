"""The CAP 1.2 rules an XML schema cannot check, applied to the dataclasses.

write_cap runs them before writing so we never publish an alert another system would refuse or
misread; validate_cap runs them after the XSD so a received document gets the same verdict.
Paths use CAP's element names ("alert.info[0].senderName"), so they match validate_cap's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import shapely

from .model import (
    CATEGORIES,
    CERTAINTIES,
    MSG_TYPES,
    RESPONSE_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    CapAlert,
    CapArea,
    CapInfo,
    CapProblem,
)

# BCP 47 subset: a 2-3 letter primary language, then subtags of 1-8 letters or digits (en, fr-BE, es-419).
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# CAP 1.2 §3.2.1: identifiers and senders "MUST NOT include spaces, commas or restricted characters (< and &)".
_RESTRICTED = re.compile(r"[\s,<&]")
# XML 1.0 cannot carry these; one of them in a headline would make the whole document unwritable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEEDS_REFERENCES = ("Update", "Cancel", "Ack", "Error")
_NEEDS_INFO = ("Alert", "Update")


def cap_problems(alert: CapAlert) -> list[CapProblem]:
    """Everything wrong with `alert` that would make its CAP document invalid or misleading; [] if none.

    Checks the enumerations too (the dataclasses take any string), then the rules the XSD cannot:
    see docs/toolkit.md, "CAP 1.2 and EDXL-DE", for the list."""
    return list(_enumerations(alert)) + rule_problems(alert)


def rule_problems(alert: CapAlert) -> list[CapProblem]:
    """The rules beyond the XSD (no enumerations: validate_cap leaves those to the schema)."""
    return list(_alert_rules(alert))


def _enumerations(alert: CapAlert) -> Iterator[CapProblem]:
    yield from _choice("alert.status", alert.status, STATUSES)
    yield from _choice("alert.msgType", alert.msg_type, MSG_TYPES)
    yield from _choice("alert.scope", alert.scope, SCOPES)
    for i, info in enumerate(alert.infos):
        at = f"alert.info[{i}]"
        for k, category in enumerate(info.categories):
            yield from _choice(f"{at}.category[{k}]", category, CATEGORIES)
        for k, response in enumerate(info.response_types):
            yield from _choice(f"{at}.responseType[{k}]", response, RESPONSE_TYPES)
        yield from _choice(f"{at}.urgency", info.urgency, URGENCIES)
        yield from _choice(f"{at}.severity", info.severity, SEVERITIES)
        yield from _choice(f"{at}.certainty", info.certainty, CERTAINTIES)


def _choice(path: str, value: str, allowed: tuple[str, ...]) -> Iterator[CapProblem]:
    if value not in allowed:
        yield CapProblem(path, f"{value!r} is not one of {', '.join(allowed)}.")


def _text(path: str, value: str | None) -> Iterator[CapProblem]:
    if value is not None and (bad := _NOT_XML.search(value)):
        yield CapProblem(path, f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry.")


def _token(path: str, value: str, what: str) -> Iterator[CapProblem]:
    """Identifiers and senders: non-empty, and no space, comma, "<" or "&" (CAP 1.2 §3.2.1)."""
    if not value:
        yield CapProblem(path, f"the {what} must not be empty.")
    elif bad := _RESTRICTED.search(value):
        char = {" ": "a space", ",": "a comma"}.get(bad.group(), repr(bad.group()))
        yield CapProblem(path, f"the {what} must not contain spaces, commas, '<' or '&'; it contains {char}.")
    else:
        yield from _text(path, value)


def _moment(path: str, value: datetime | None) -> Iterator[CapProblem]:
    """CAP date-times: an explicit offset in whole minutes and whole seconds (the XSD's pattern)."""
    if value is None:
        return
    offset = value.utcoffset()
    if offset is None:
        yield CapProblem(path, "the date and time needs a time zone offset, like +01:00.")
    elif offset % timedelta(minutes=1):
        yield CapProblem(path, "the time zone offset must be whole minutes (CAP writes ±hh:mm).")
    if value.microsecond:
        yield CapProblem(path, "CAP date-times have whole seconds; remove the fraction of a second.")


def _list_items(path: str, items: tuple[str, ...], what: str) -> Iterator[CapProblem]:
    for k, item in enumerate(items):
        if not item.strip():
            yield CapProblem(f"{path}[{k}]", f"an empty {what} cannot be written in a space-separated list.")
        elif '"' in item:
            yield CapProblem(
                f"{path}[{k}]", f"a {what} cannot contain a double quote (CAP uses them to enclose spaces)."
            )
        yield from _text(f"{path}[{k}]", item)


def _alert_rules(alert: CapAlert) -> Iterator[CapProblem]:
    yield from _token("alert.identifier", alert.identifier, "identifier")
    yield from _token("alert.sender", alert.sender, "sender")
    yield from _moment("alert.sent", alert.sent)
    for path, value in (("alert.source", alert.source), ("alert.restriction", alert.restriction)):
        yield from _text(path, value)
    yield from _text("alert.note", alert.note)
    if alert.scope == "Restricted" and not (alert.restriction or "").strip():
        yield CapProblem("alert.restriction", "a Restricted alert must say who may see it in <restriction>.")
    if alert.scope == "Private" and not alert.addresses:
        yield CapProblem("alert.addresses", "a Private alert must name its recipients in <addresses>.")
    yield from _list_items("alert.addresses", alert.addresses, "address")
    for k, code in enumerate(alert.codes):
        yield from _text(f"alert.code[{k}]", code)
    if alert.msg_type in _NEEDS_REFERENCES and not alert.references:
        yield CapProblem("alert.references", f"an {alert.msg_type} message must reference the message(s) it concerns.")
    for k, ref in enumerate(alert.references):
        at = f"alert.references[{k}]"
        yield from _token(f"{at}.sender", ref.sender, "referenced sender")
        yield from _token(f"{at}.identifier", ref.identifier, "referenced identifier")
        yield from _moment(f"{at}.sent", ref.sent)
    yield from _list_items("alert.incidents", alert.incidents, "incident")
    if alert.msg_type in _NEEDS_INFO and not alert.infos:
        yield CapProblem("alert.info", f"an {alert.msg_type} message needs at least one <info>.")
    seen: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for i, info in enumerate(alert.infos):
        yield from _info_rules(f"alert.info[{i}]", info)
        key = (info.language.lower(), info.event, tuple(area.description for area in info.areas))
        if key in seen:
            yield CapProblem(
                f"alert.info[{i}]",
                f"repeats info[{seen[key]}]: same language, event and areas; merge them, or vary the language.",
            )
        seen.setdefault(key, i)


def _info_rules(at: str, info: CapInfo) -> Iterator[CapProblem]:
    if not _LANGUAGE.fullmatch(info.language):
        yield CapProblem(f"{at}.language", f"{info.language!r} is not a language tag like en, fr-BE or es-419.")
    if not info.categories:
        yield CapProblem(f"{at}.category", "an <info> needs at least one category.")
    if not info.event.strip():
        yield CapProblem(f"{at}.event", "the event must not be empty.")
    for name, value in (
        ("event", info.event),
        ("audience", info.audience),
        ("senderName", info.sender_name),
        ("headline", info.headline),
        ("description", info.description),
        ("instruction", info.instruction),
        ("web", info.web),
        ("contact", info.contact),
    ):
        yield from _text(f"{at}.{name}", value)
    for name, pairs in (("eventCode", info.event_codes), ("parameter", info.parameters)):
        for k, (value_name, value) in enumerate(pairs):
            yield from _text(f"{at}.{name}[{k}].valueName", value_name)
            yield from _text(f"{at}.{name}[{k}].value", value)
    for name, moment in (("effective", info.effective), ("onset", info.onset), ("expires", info.expires)):
        yield from _moment(f"{at}.{name}", moment)
    if info.expires is not None and info.expires.utcoffset() is not None:
        for name, start in (("effective", info.effective), ("onset", info.onset)):
            if start is not None and start.utcoffset() is not None and info.expires <= start:
                yield CapProblem(f"{at}.expires", f"the alert expires before (or when) it becomes {name}.")
    for k, resource in enumerate(info.resources):
        where = f"{at}.resource[{k}]"
        if not resource.description.strip():
            yield CapProblem(f"{where}.resourceDesc", "a resource needs a description.")
        if not resource.mime_type.strip():
            yield CapProblem(f"{where}.mimeType", "a resource needs a MIME type, like image/png.")
        if resource.size is not None and resource.size < 0:
            yield CapProblem(f"{where}.size", "the size in bytes cannot be negative.")
        for name, value in (
            ("resourceDesc", resource.description),
            ("mimeType", resource.mime_type),
            ("uri", resource.uri),
            ("derefUri", resource.deref_uri),
            ("digest", resource.digest),
        ):
            yield from _text(f"{where}.{name}", value)
    for k, area in enumerate(info.areas):
        yield from _area_rules(f"{at}.area[{k}]", area)


def _position(path: str, lat: float, lon: float) -> Iterator[CapProblem]:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        yield CapProblem(path, "coordinates must be finite numbers.")
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        yield CapProblem(
            path, f"({lat}, {lon}) is off the globe: CAP gives latitude (-90..90) first, then longitude (-180..180)."
        )


def _area_rules(at: str, area: CapArea) -> Iterator[CapProblem]:
    yield from _text(f"{at}.areaDesc", area.description)
    for k, ring in enumerate(area.polygons):
        where = f"{at}.polygon[{k}]"
        if len(ring) < 4:
            yield CapProblem(where, f"a polygon needs at least 4 points (the first repeated last), got {len(ring)}.")
            continue
        bad = [p for n, (lat, lon) in enumerate(ring) for p in _position(f"{where}[{n}]", lat, lon)]
        if bad:
            yield bad[0]
            continue
        if tuple(ring[0]) != tuple(ring[-1]):
            yield CapProblem(where, "the polygon is not closed: its last point must repeat the first.")
            continue
        shape = shapely.Polygon([(lon, lat) for lat, lon in ring])
        if not shape.is_valid:
            yield CapProblem(where, f"the polygon is not valid ({shapely.is_valid_reason(shape)}).")
    for k, (lat, lon, radius) in enumerate(area.circles):
        where = f"{at}.circle[{k}]"
        yield from _position(where, lat, lon)
        # Radius 0 (a point) is accepted: Appendix A.3 of the CAP 1.2 specification uses it for an epicentre.
        if not math.isfinite(radius) or radius < 0:
            yield CapProblem(where, f"the radius must be a finite number of kilometres, 0 or more; got {radius}.")
    for k, (value_name, value) in enumerate(area.geocodes):
        yield from _text(f"{at}.geocode[{k}].valueName", value_name)
        yield from _text(f"{at}.geocode[{k}].value", value)
    for name, height in (("altitude", area.altitude), ("ceiling", area.ceiling)):
        if height is not None and not math.isfinite(height):
            yield CapProblem(f"{at}.{name}", "must be a finite number of feet.")
    if area.ceiling is not None and area.altitude is None:
        yield CapProblem(f"{at}.ceiling", "a ceiling needs an altitude (CAP 1.2 §3.2.4).")
    elif area.ceiling is not None and area.altitude is not None and area.ceiling < area.altitude:
        yield CapProblem(f"{at}.ceiling", "the ceiling is below the altitude.")
