"""The demo city ships peer-support groups in its catalog and a few approved stories on its reports."""

from __future__ import annotations

import pytest
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.demo.seed import seed_reports
from streetlight.stories.demo import seed_stories
from streetlight.stories.models import PeerSupportGroup, Story, StoryStatus

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_peer_groups_and_published_stories() -> None:
    assert set(PeerSupportGroup.objects.values_list("code", flat=True)) == {
        "street-harassment-circle",
        "after-violence-group",
    }
    seed_reports(n=150, seed=3)
    stories = list(Story.objects.select_related("category__parent", "district"))
    assert len(stories) == 3 and all(s.status == StoryStatus.APPROVED for s in stories)
    assert {(s.category.parent or s.category).code for s in stories} == {"harassment", "theft", "unsafe"}
    assert "harassment" in {s.category.code for s in stories}  # a sensitive category: its main one only
    assert all(s.district is not None for s in stories)
    assert AuditEntry.objects.filter(action="story.approved").count() == 3
    assert "rack was moved under a light" in Client().get("/stories/").content.decode()
    assert seed_stories(entries=[{"category": "theft", "language": "en", "text": "x" * 30}]) == 0  # idempotent
