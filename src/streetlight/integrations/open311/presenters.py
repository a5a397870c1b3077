"""Our objects as Open311 data: plain dicts the toolkit writes as JSON or XML alike.

Every field of a document is always present (null when unknown), so the XML and JSON forms carry
the same fields, and clients written against the spec's examples find what they expect."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.reports.lifecycle import is_open
from streetlight.reports.models import Category, Report, StatusChange
from streetlight.reports.public_selectors import LAST_PUBLIC_NOTE, report_public_point
from streetlight.toolkit.formats.open311 import CONTENT_TYPES, SPECIFICATION, format_datetime, xml_safe

#: Bumped when the services or their definitions change shape, so clients refresh their caches.
CHANGESET = "2026-11-01T00:00:00Z"


def _text(value: str | None) -> str | None:
    """Text for a public document: None for blank, without characters XML cannot carry."""
    if value is None or not value.strip():
        return None
    return xml_safe(value)


def _when(value: datetime) -> str:
    return format_datetime(timezone.localtime(value))


def status(value: str) -> str:
    """Our lifecycle seen through Open311's two states."""
    return "open" if is_open(value) else "closed"


def discovery(*, endpoint_url: str) -> dict[str, Any]:
    city = settings.STREETLIGHT["CITY_NAME"]
    return {
        "changeset": CHANGESET,
        "contact": _("Streetlight for %(city)s: contact the city's Streetlight administrator.") % {"city": city},
        "key_service": _("Ask the city's Streetlight administrator for an API key to send requests."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": [CONTENT_TYPES["xml"].split(";")[0], CONTENT_TYPES["json"].split(";")[0]],
            }
        ],
    }


def service(category: Category, language: str) -> dict[str, Any]:
    text = category.text(language)
    return {
        "service_code": category.code,
        "service_name": xml_safe(category.name(language)),
        "description": _text(text.help if text else None),
        "metadata": False,
        "type": "realtime",
        "keywords": _text(text.keywords if text else None),
        "group": xml_safe(category.parent.name(language)) if category.parent else None,
    }


def service_definition(category: Category) -> dict[str, Any]:
    """No service asks for extra attributes: the description and the place say it all."""
    return {"service_code": category.code, "attributes": []}


def created(report: Report) -> dict[str, Any]:
    """The POST answer: the id at once (services are "realtime"), so no token."""
    notice = _("The city has received your report %(reference)s. Follow it with GET requests/%(reference)s.")
    return {
        "service_request_id": report.reference,
        "service_notice": notice % {"reference": report.reference},
        "account_id": None,
    }


def request(report: Report, language: str) -> dict[str, Any]:
    """A report as the public may see it. Its own words only when it came in through Open311 (the
    client published them knowingly); a district name, never the reporter's address; a cell centre,
    never the exact point."""
    lat, lon = report_public_point(report)
    return {
        "service_request_id": report.reference,
        "status": status(report.status),
        "status_notes": _text(getattr(report, LAST_PUBLIC_NOTE, None)),
        "service_name": xml_safe(report.category.name(language)),
        "service_code": report.category.code,
        "description": _text(report.description) if report.source == "open311" else None,
        "agency_responsible": settings.STREETLIGHT["CITY_NAME"],
        "service_notice": None,
        "requested_datetime": _when(report.created_at),
        "updated_datetime": _when(report.updated_at),
        "expected_datetime": None,
        "address": _text(report.area.name) if report.area is not None else None,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": None,
    }


def update(change: StatusChange) -> dict[str, Any]:
    """One status change, with the field names FixMyStreet's update fetcher reads."""
    return {
        "update_id": str(change.pk),
        "service_request_id": change.report.reference,
        "status": status(change.to_status),
        "updated_datetime": _when(change.at),
        "description": xml_safe(change.public_note),
        "media_url": "",
    }


def errors(status_code: int, descriptions: list[str]) -> list[dict[str, Any]]:
    return [{"code": status_code, "description": xml_safe(text)} for text in descriptions]
