"""From our rows to the toolkit's CAP dataclasses: the one place that decides what a published CAP
message says (sender, identifiers, area geometry, links), so the XML, the feed and the e-mails agree."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from streetlight.toolkit.formats.cap import CapAlert, CapArea, CapInfo, CapReference

from .models import Alert, AlertInfo

AREA_GEOCODE = "streetlight:area"


def cap_sender() -> str:
    """CAP's sender: a configured address, else one made from the site's host name."""
    configured = str(settings.STREETLIGHT.get("CAP_SENDER") or "")
    return configured or f"streetlight@{urlsplit(settings.STREETLIGHT['BASE_URL']).hostname or 'localhost'}"


def new_identifier() -> str:
    city = "".join(ch for ch in settings.STREETLIGHT["CITY_NAME"].lower() if ch.isalnum()) or "city"
    return f"{city}.streetlight.{uuid.uuid4().hex}"


def absolute(path: str) -> str:
    return settings.STREETLIGHT["BASE_URL"].rstrip("/") + path


def page_url(alert: Alert) -> str:
    return absolute(reverse("alerts:detail", args=[alert.identifier]))


def document_url(alert: Alert) -> str:
    return absolute(reverse("alerts:cap", args=[alert.identifier]))


def rings_of(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Outer rings of a GeoJSON Polygon/MultiPolygon as [lat, lon] lists (CAP's order)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[lat, lon] for lon, lat, *_ in polygon[0]] for polygon in polygons]


def cap_area(alert: Alert) -> CapArea:
    return CapArea(
        description=alert.area_description,
        polygons=tuple(tuple((float(lat), float(lon)) for lat, lon in ring) for ring in alert.polygons),
        circles=tuple((float(c[0]), float(c[1]), float(c[2])) for c in alert.circles),
        geocodes=((AREA_GEOCODE, alert.area.code),) if alert.area_id and alert.area else (),
    )


def to_cap(alert: Alert, infos: Sequence[AlertInfo], *, public_topics: Sequence[str]) -> CapAlert:
    """`public_topics`: the topics that may be named in the message (sensitive ones are not)."""
    sent = timezone.localtime(alert.sent)
    sender_name = settings.STREETLIGHT["CITY_NAME"] + (f" · {alert.agency.name}" if alert.agency else "")
    area = cap_area(alert)
    cap_infos = tuple(
        CapInfo(
            language=info.language,
            categories=tuple(alert.cap_categories),
            event=info.event,
            urgency=alert.urgency,
            severity=alert.severity,
            certainty=alert.certainty,
            response_types=tuple(alert.response_types),
            event_codes=tuple(("streetlight:topic", code) for code in public_topics),
            effective=sent,
            onset=timezone.localtime(alert.onset) if alert.onset else None,
            expires=timezone.localtime(alert.expires),
            sender_name=sender_name,
            headline=info.headline,
            description=info.description,
            instruction=info.instruction or None,
            web=page_url(alert),
            parameters=(("streetlight:kind", alert.kind),),
            areas=(area,),
        )
        for info in infos
    )
    replaced = alert.replaces
    references = (
        (CapReference(sender=cap_sender(), identifier=replaced.identifier, sent=timezone.localtime(replaced.sent)),)
        if replaced is not None
        else ()
    )
    return CapAlert(
        identifier=alert.identifier,
        sender=cap_sender(),
        sent=sent,
        status=alert.status,
        msg_type=alert.msg_type,
        scope=alert.scope,
        restriction=alert.restriction or None,
        addresses=tuple(alert.addresses),
        note=alert.note or None,
        references=references,
        incidents=(alert.original.identifier,) if alert.original_id and alert.original else (),
        infos=cap_infos,
    )
