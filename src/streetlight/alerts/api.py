"""Warnings in force as JSON, for apps that do not read CAP: the same messages, one language each."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema

from streetlight.core import api_errors

from . import capdoc, selectors

router = Router(tags=["warnings"])


class AlertOut(Schema):
    identifier: str
    kind: str
    msg_type: str
    status: str
    severity: str
    urgency: str
    certainty: str
    sent: datetime
    onset: datetime | None
    expires: datetime
    area_description: str
    areas: list[str]
    language: str
    event: str
    headline: str
    description: str
    instruction: str
    url: str
    cap_url: str


@router.get(
    "/alerts",
    response=list[AlertOut],
    summary="Public warnings in force now",
    description=(
        "The current message of each public warning thread, in `lang` (else the city's language). "
        "Each carries the URL of its CAP 1.2 document. Filters: `area` (area code), `topic` (main category)."
    ),
)
def alert_list(
    request: HttpRequest, area: str | None = None, topic: str | None = None, lang: str | None = None
) -> list[AlertOut]:
    errors = selectors.filter_errors(area=area, topic=topic, lang=lang)
    if errors:
        raise api_errors.ApiProblem(
            status=400,
            title=_("Some parameters are not valid"),
            errors=errors,
            type_="urn:streetlight:problem:invalid-query",
        )
    language = lang or get_language()
    out = []
    for alert in selectors.alert_list_public(area_code=area, topic=topic):
        info = selectors.alert_info_for(alert, language)
        out.append(
            AlertOut(
                identifier=alert.identifier,
                kind=alert.kind,
                msg_type=alert.msg_type,
                status=alert.status,
                severity=alert.severity,
                urgency=alert.urgency,
                certainty=alert.certainty,
                sent=alert.sent,
                onset=alert.onset,
                expires=alert.expires,
                area_description=alert.area_description,
                areas=sorted(selectors.alert_area_codes(alert)),
                language=info.language,
                event=info.event,
                headline=info.headline,
                description=info.description,
                instruction=info.instruction,
                url=capdoc.page_url(alert),
                cap_url=capdoc.document_url(alert),
            )
        )
    return out
