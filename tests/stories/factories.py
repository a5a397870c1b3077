"""Helpers for the stories tests: file a report through the API, send its story by token,
approve it as a moderator."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from streetlight.reports.models import Report
from streetlight.stories.models import Story

CONTACT_EMAIL = "reporter-contact@example.org"
DESCRIPTION = "Zanzibarian words only the report has: he touched me on the crowded tram."
STORY = (
    "It happened on my way home. A man kept touching me in the crowd and nobody said anything. "
    "I told myself it was nothing, but it was not nothing."
)


def file_report(client: Client, report_json: dict[str, Any], **changes: Any) -> tuple[Report, str]:
    body = {
        **report_json,
        "category": "harassment-touching",
        "description": DESCRIPTION,
        "consent": {**report_json["consent"], "victim_support": True, "contact": True},
        "contact": {"email": CONTACT_EMAIL},
        **changes,
    }
    response = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    report = Report.objects.select_related("category__parent", "area").get(reference=response.json()["reference"])
    return report, response.json()["followup_token"]


def share(client: Client, token: str, text: str = STORY, **extra: str) -> Any:
    return client.post(f"/f/{token}/story/", {"text": text, "language": "en", "publish": "on", **extra})


def approve(client: Client, story: Story, text: str | None = None) -> Any:
    story.refresh_from_db()
    return client.post(f"/control/stories/{story.pk}/approve/", {"text": text or story.suggested_text})
