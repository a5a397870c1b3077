"""The demo city's shared stories: a few approved stories on demo reports, so the wall, the feed and
the exports show something after `streetlight demo`. They go through the same services as real ones
(redaction, guard, audit)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from streetlight.accounts.models import User
from streetlight.reports.models import Report

from . import services
from .models import Story


def seed_stories(*, entries: list[dict[str, Any]]) -> int:
    """Idempotent: nothing is added once the city has any story. Each entry names a main category;
    its story goes on the newest demo report of that category placed in a district."""
    if Story.objects.exists():
        return 0
    moderator = User.objects.filter(username="city-admin").first()
    added = 0
    for entry in entries:
        code = entry["category"]
        report = (
            Report.objects.filter(source="demo", area__isnull=False, story__isnull=True)
            .filter(Q(category__code=code) | Q(category__parent__code=code))
            .select_related("category__parent", "area__parent")
            .order_by("-created_at")
            .first()
        )
        if report is None:
            continue
        story = services.story_submit(report=report, text=entry["text"], language=entry["language"])
        services.story_approve(actor=moderator, pk=story.pk, text=story.suggested_text)
        added += 1
    return added
