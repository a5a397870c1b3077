"""The wall as an Atom feed and as open data (CSV, JSON). Each entry carries what the wall shows and
nothing more: the published text, category, district, month and "me too" count — no id that leads
to a report, no day, no time of day. An entry's `updated` is the first day of the month it was
published, so the feed tells no more about time than the wall does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import Story

EXPORT_FIELDS = ("id", "category", "category_name", "district", "district_name", "month", "language", "me_too", "text")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def absolute(path: str) -> str:
    return str(settings.STREETLIGHT["BASE_URL"]).rstrip("/") + path


def page_url(story: Story) -> str:
    return absolute(reverse("stories:detail", args=[story.public_id]))


def _month_start(value: datetime | None) -> datetime:
    local = timezone.localtime(value or timezone.now())
    return timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min))


def title_of(story: Story, language: str | None = None) -> str:
    district = story.district.name if story.district else ""
    parts = [story.category.name(language), district, f"{story.month:%Y-%m}"]
    return " · ".join(part for part in parts if part)


def atom_feed(stories: Sequence[Story], *, title: str, feed_url: str, language: str) -> bytes:
    feed = Atom1Feed(
        title=title,
        link=absolute(reverse("stories:wall")),
        description=title,
        feed_url=feed_url,
        language=language,
        author_name=settings.STREETLIGHT["CITY_NAME"],
        feed_guid=feed_url,
    )
    for story in stories:
        month = _month_start(story.published_at)
        feed.add_item(
            title=title_of(story, language),
            link=page_url(story),
            description=story.final_text,
            unique_id=f"{absolute('/stories/')}#{story.public_id}",
            updateddate=month,
            pubdate=month,
            categories=[story.category.code, *([story.district.code] if story.district else [])],
        )
    if not stories:
        feed.latest_post_date = lambda: _month_start(None)  # type: ignore[method-assign]
    return feed.writeString("utf-8").encode("utf-8")


def export_row(story: Story, language: str | None = None) -> dict[str, Any]:
    return {
        "id": story.public_id,
        "category": story.category.code,
        "category_name": story.category.name(language),
        "district": story.district.code if story.district else "",
        "district_name": story.district.name if story.district else "",
        "month": f"{story.month:%Y-%m}",
        "language": story.language,
        "me_too": story.me_too_count,
        "text": story.final_text,
    }


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is written with a leading quote (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(stories: Iterable[Story], language: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for story in stories:
        writer.writerow({key: _cell(value) for key, value in export_row(story, language).items()})
    return out.getvalue()


def export_json(stories: Iterable[Story], language: str | None = None) -> str:
    document = {
        "dataset": "shared-stories",
        "city": settings.STREETLIGHT["CITY_NAME"],
        "licence": "CC-BY-4.0",
        "fields": list(EXPORT_FIELDS),
        "stories": [export_row(story, language) for story in stories],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
