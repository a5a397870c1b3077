"""What a subscriber is told about an alert, in their language.

A sensitive alert (one of its topics is a sensitive category) is reduced to a generic headline
("New safety warning for <area>"), its time window and the link to the public page: no event, no
description, no instruction, no topic, no geometry. Both the e-mail and the webhook are built from
`alert_view`, so the rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from streetlight.alerts import selectors as alert_selectors
from streetlight.alerts.models import Alert
from streetlight.reports.models import Area


@dataclass(frozen=True)
class AlertView:
    """The parts of an alert a subscriber may see, already translated."""

    identifier: str
    msg_type: str
    status: str
    sensitive: bool
    language: str
    headline: str
    event: str
    description: str
    instruction: str
    area_name: str
    area_codes: tuple[str, ...]
    topics: tuple[str, ...]
    starts: datetime
    expires: datetime
    window: str
    public_url: str
    cap_url: str


def area_name(alert: Alert, codes: set[str]) -> str:
    """The city area's name, or the names of the areas it touches; never the free-text area
    description, which may pinpoint a place."""
    if alert.area_id and alert.area:
        return alert.area.name
    names = sorted(Area.objects.filter(code__in=codes).values_list("name", flat=True))
    return ", ".join(names) if names else str(settings.STREETLIGHT["CITY_NAME"])


def time_window(starts: datetime, expires: datetime) -> str:
    fmt = "DATETIME_FORMAT"
    return _("From %(start)s until %(end)s") % {
        "start": formats.date_format(timezone.localtime(starts), fmt),
        "end": formats.date_format(timezone.localtime(expires), fmt),
    }


def alert_view(alert: Alert, language: str) -> AlertView:
    codes = alert_selectors.alert_area_codes(alert)
    sensitive = alert_selectors.alert_is_sensitive(alert)
    place = area_name(alert, codes)
    starts = alert.onset or alert.sent
    with translation.override(language):
        window = time_window(starts, alert.expires)
        if sensitive:
            headline = _("New safety warning for %(area)s") % {"area": place}
            if alert.msg_type == Alert.MsgType.CANCEL:
                headline = _("Safety warning withdrawn for %(area)s") % {"area": place}
            event = description = instruction = ""
        else:
            info = alert_selectors.alert_info_for(alert, language)
            headline, event = info.headline, info.event
            description, instruction = info.description, info.instruction
    return AlertView(
        identifier=alert.identifier,
        msg_type=alert.msg_type,
        status=alert.status,
        sensitive=sensitive,
        language=language,
        headline=headline,
        event=event,
        description=description,
        instruction=instruction,
        area_name=place,
        area_codes=tuple(sorted(codes)),
        topics=() if sensitive else tuple(alert.topics),
        starts=starts,
        expires=alert.expires,
        window=window,
        public_url=alert_selectors.alert_public_url(alert),
        cap_url="" if sensitive else alert_selectors.alert_cap_url(alert),
    )


def webhook_payload(alert: Alert, language: str) -> dict[str, Any]:
    """The JSON a partner receives. A sensitive alert carries the generic headline in the
    subscription's language, its window, its city areas and the public page, nothing else."""
    view = alert_view(alert, language)
    base: dict[str, Any] = {
        "identifier": view.identifier,
        "msgType": view.msg_type,
        "status": view.status,
        "sent": alert.sent.isoformat(),
        "onset": view.starts.isoformat(),
        "expires": view.expires.isoformat(),
        "areas": list(view.area_codes),
        "sensitive": view.sensitive,
        "url": view.public_url,
    }
    if view.sensitive:
        return base | {"topics": [], "infos": [{"language": language, "headline": view.headline}]}
    infos = [
        {
            "language": info.language,
            "event": info.event,
            "headline": info.headline,
            "description": info.description,
            "instruction": info.instruction,
        }
        for info in alert.infos.all()
    ]
    return base | {"topics": list(view.topics), "infos": infos, "cap_url": view.cap_url, "kind": alert.kind}
