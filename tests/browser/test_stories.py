"""Shared stories on a phone: the reporter shares a story from the follow-up page, a moderator
publishes it, and a visitor says "this happened to me too" on the wall — axe-core on each screen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from streetlight.stories.models import Story
from streetlight.stories.services import story_approve

from .helpers import OpenPage, Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "Someone followed me from the tram stop and kept talking about my clothes. I felt very alone."


def _report(report_json: dict[str, Any]) -> str:
    body = {
        **report_json,
        "category": "harassment-following",
        "description": "Followed from the tram stop.",
        "consent": {**report_json["consent"], "police": False, "victim_support": True, "city": True},
    }
    response = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return str(response.json()["followup_token"])


def test_share_publish_and_say_me_too(open_page: OpenPage, site: Site, report_json: dict[str, Any]) -> None:
    token = _report(report_json)
    page = open_page()
    page.goto(f"/f/{token}/")
    page.get_by_role("link", name="Share your story", exact=True).tap()
    page.wait_for_url(f"**/f/{token}/story/")
    assert_accessible(page, "the story form")

    page.get_by_role("button", name="Send my story for moderation").tap()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "the story form with errors")

    page.get_by_label("Your story", exact=True).fill(STORY)
    page.get_by_label("I agree that").check()
    page.get_by_role("button", name="Send my story for moderation").tap()
    page.wait_for_url(f"**/f/{token}/story/?sent=1")
    expect(page.locator("#story-status")).to_have_text("Waiting for moderation")

    page.goto("/stories/")
    expect(page.locator("#story-count")).to_have_text("0 stories.")
    story = Story.objects.get()
    story_approve(actor=None, pk=story.pk, text=story.suggested_text)

    page.goto("/stories/")
    expect(page.locator(".story")).to_have_count(1)
    expect(page.locator(".story-title")).to_have_text("Street harassment")
    assert_accessible(page, "the wall of shared stories")
    page.get_by_role("button", name="This happened to me too").tap()
    page.wait_for_url("**/stories/#story-*")
    expect(page.locator(".me-too-count")).to_have_text("1 person said this happened to them too.")
    expect(page.locator(".me-too-done")).to_be_visible()
    assert_accessible(page, "the wall after saying me too")

    page.locator(".story-title a").tap()
    page.wait_for_url(f"**/stories/{story.public_id}/")
    expect(page.locator("#peer-support")).to_contain_text("Walk-and-talk circle")
    assert_accessible(page, "a shared story's page")
