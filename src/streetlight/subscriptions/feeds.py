"""A subscriber's Atom feed: the public warnings in force for one area, topic and language.

Built like the alerts app's CAP index feed, with the CAP document linked as an alternate
representation (`rel="alternate" type="application/cap+xml"`) beside the HTML page. A sensitive
warning shows only its generic headline and time window, as in the e-mails.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from streetlight.alerts import selectors as alert_selectors
from streetlight.alerts.feeds import CapAtomFeed
from streetlight.alerts.models import Alert

from .content import alert_view


def subscriber_feed(alerts: Sequence[Alert], *, language: str, feed_url: str, home_url: str) -> bytes:
    with translation.override(language):
        title = _("Warnings for %(city)s") % {"city": settings.STREETLIGHT["CITY_NAME"]}
    feed = CapAtomFeed(
        title=title,
        link=home_url,
        description=title,
        feed_url=feed_url,
        feed_guid=feed_url,
        language=language,
        author_name=str(settings.STREETLIGHT["CITY_NAME"]),
    )
    for alert in alerts:
        view = alert_view(alert, language)
        summary = view.window if view.sensitive else f"{view.window}. {view.description}"
        feed.add_item(
            title=view.headline,
            link=view.public_url,
            description=escape(summary),
            unique_id=f"urn:streetlight:alert:{alert.identifier}",
            pubdate=alert.sent,
            updateddate=alert.sent,
            categories=[alert.msg_type, alert.status],
            cap_url=alert_selectors.alert_cap_url(alert),
        )
    if not alerts:
        feed.latest_post_date = timezone.now  # type: ignore[method-assign]
    return feed.writeString("utf-8").encode("utf-8")
