"""A harassment report (a sensitive sub-category) filed through the API with contact details, its
follow-up token, its story, and a moderator signed in with two factors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.reports.models import Report
from streetlight.stories.models import Story
from tests.staff import member, signed_in

from .factories import approve, file_report, share


@pytest.fixture
def filed(report_json: dict[str, Any]) -> tuple[Report, str]:
    return file_report(Client(), report_json)


@pytest.fixture
def shared(filed: tuple[Report, str]) -> tuple[Story, str]:
    """A story sent and waiting for moderation."""
    report, token = filed
    assert share(Client(), token).status_code == 302
    return Story.objects.get(report=report), token


@pytest.fixture
def moderator() -> User:
    """A supervisor of a city department (the city safety team)."""
    return member("city-safety", "supervisor", "story-moderator")


@pytest.fixture
def moderating(moderator: User) -> Client:
    return signed_in(moderator)


@pytest.fixture
def published(shared: tuple[Story, str], moderating: Client) -> tuple[Story, str]:
    story, token = shared
    assert approve(moderating, story).status_code == 302
    story.refresh_from_db()
    return story, token
