"""The city lists peer-support groups in the admin, with their languages as tick boxes."""

from __future__ import annotations

from typing import Any

import pytest

from streetlight.reports.models import Category
from streetlight.stories.models import PeerSupportGroup

pytestmark = pytest.mark.django_db


def test_the_city_adds_a_peer_support_group(admin_client: Any) -> None:
    assert admin_client.get("/admin/stories/peersupportgroup/").status_code == 200
    form = admin_client.get("/admin/stories/peersupportgroup/add/")
    assert form.status_code == 200 and 'name="languages"' in form.content.decode()
    hate = Category.objects.get(code="hate")
    response = admin_client.post(
        "/admin/stories/peersupportgroup/add/",
        {
            "code": "hate-survivors",
            "url": "https://example.org/group",
            "phone": "",
            "categories": [hate.pk],
            "languages": ["en", "nl"],
            "active": "on",
            "order": "5",
            "texts-TOTAL_FORMS": "1",
            "texts-INITIAL_FORMS": "0",
            "texts-MIN_NUM_FORMS": "0",
            "texts-MAX_NUM_FORMS": "1000",
            "texts-0-language": "en",
            "texts-0-name": "Standing together",
            "texts-0-description": "For people targeted for who they are.",
            "texts-0-meets": "First Monday of the month",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = PeerSupportGroup.objects.get(code="hate-survivors")
    assert group.languages == ["en", "nl"] and list(group.categories.all()) == [hate]
    assert group.text("en").name == "Standing together"  # type: ignore[union-attr]


def test_stories_are_not_in_the_admin(admin_client: Any) -> None:
    assert admin_client.get("/admin/stories/story/").status_code == 404
