"""The Atom index of CAP messages, as alerting hubs (e.g. the WMO register, Google Public Alerts)
read them: one entry per current message, linking the CAP document with type application/cap+xml."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import capdoc, selectors
from .models import Alert

CAP_MIME = "application/cap+xml"


class CapAtomFeed(Atom1Feed):
    """Atom with the CAP document as the entry's alternate link, as CAP index feeds do."""

    def add_item_elements(self, handler, item):  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "alternate", "href": item["cap_url"], "type": CAP_MIME})


def atom_feed(alerts: Sequence[Alert], *, title: str, feed_url: str, language: str) -> bytes:
    """Entries carry the reader's language where the message has it; updated = the message's sent time."""
    feed = CapAtomFeed(
        title=title,
        link=capdoc.absolute("/alerts/"),
        description=title,
        feed_url=feed_url,
        language=language,
        author_name=settings.STREETLIGHT["CITY_NAME"],
        feed_guid=feed_url,
    )
    for alert in alerts:
        info = selectors.alert_info_for(alert, language)
        feed.add_item(
            title=info.headline,
            link=capdoc.page_url(alert),
            description=info.description,
            unique_id=f"urn:cap:{capdoc.cap_sender()}:{alert.identifier}",
            updateddate=alert.sent,
            pubdate=alert.sent,
            categories=[alert.severity, alert.urgency, alert.msg_type, alert.status],
            cap_url=capdoc.document_url(alert),
        )
    if not alerts:
        feed.latest_post_date = lambda: timezone.now()  # type: ignore[method-assign]
    return feed.writeString("utf-8").encode("utf-8")
