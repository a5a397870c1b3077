"""The reporter's side, by follow-up token: what the form explains, sending and changing a story,
its status, withdrawing it, and the clear refusals (too long, withdrawn, unknown token)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.reports.models import Report
from streetlight.stories.models import Story, StoryStatus

from .factories import CONTACT_EMAIL, DESCRIPTION, STORY, share

pytestmark = pytest.mark.django_db


def raw_column(story: Story, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM stories_story WHERE id = %s", [story.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_the_follow_up_page_offers_to_share_a_story(client: Client, filed: tuple[Report, str]) -> None:
    _report, token = filed
    page = client.get(f"/f/{token}/").content.decode()
    assert 'id="story"' in page and "Share your story (optional)" in page
    assert f'href="/f/{token}/story/"' in page


def test_the_form_says_what_is_published_and_prefills_nothing_personal(
    client: Client, filed: tuple[Report, str]
) -> None:
    _report, token = filed
    response = client.get(f"/f/{token}/story/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "strict-origin"
    assert "What will be published" in page and "The district and the month it happened" in page
    assert "the day or the time of day" in page
    assert DESCRIPTION not in page and CONTACT_EMAIL not in page
    assert 'maxlength="3000"' in page


def test_a_sent_story_waits_with_a_redaction_suggested_and_its_words_encrypted(
    client: Client, filed: tuple[Report, str]
) -> None:
    report, token = filed
    text = STORY + " Write to me at someone@example.org or call +39 345 678 9012."
    response = share(client, token, text)
    assert response.status_code == 302 and response["Location"] == f"/f/{token}/story/?sent=1"
    story = Story.objects.get(report=report)
    assert story.status == StoryStatus.SUBMITTED
    assert story.category.code == "harassment"  # the main category of a sensitive sub-category
    assert story.district == report.area and story.district is not None
    assert story.month.day == 1
    assert story.original_text == text
    assert "someone@example.org" not in story.suggested_text and "345 678" not in story.suggested_text
    assert "[email]" in story.suggested_text and "[phone]" in story.suggested_text
    assert story.final_text == ""
    for column in ("original_text", "suggested_text"):
        assert "nobody said anything" not in raw_column(story, column)
    entry = AuditEntry.objects.get(action="story.submitted")
    assert entry.target_id == str(story.pk) and entry.actor_label == "reporter"
    assert set(entry.data["redacted"]) == {"email", "phone"}
    assert "someone@example.org" not in str(entry.data)
    page = client.get(f"/f/{token}/story/?sent=1").content.decode()
    assert "Waiting for moderation" in page and "Thank you" in page


def test_a_story_over_the_length_limit_is_refused_naming_the_field(client: Client, filed: tuple[Report, str]) -> None:
    report, token = filed
    response = share(client, token, "a" * 3001)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your story" in page and "at most 3,000 characters" in page and "it has 3,001" in page
    assert not Story.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "Too short."}, "Your story", "at least 20 characters"),
        ({"text": ""}, "Your story", "Write your story"),
        ({"publish": ""}, "I agree that", "Tick the box"),
        ({"language": "xx"}, "Language of your story", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client: Client, filed: tuple[Report, str], data: dict[str, str], field: str, message: str
) -> None:
    report, token = filed
    response = client.post(f"/f/{token}/story/", {"text": STORY, "language": "en", "publish": "on", **data})
    page = response.content.decode()
    assert response.status_code == 400
    assert field in page and message in page
    assert not Story.objects.filter(report=report).exists()


def test_a_waiting_story_can_be_changed_and_stays_one_story(client: Client, shared: tuple[Story, str]) -> None:
    story, token = shared
    changed = STORY + " I wanted to add that the driver did stop the tram."
    assert share(client, token, changed).status_code == 302
    assert Story.objects.filter(report_id=story.report_id).count() == 1
    story.refresh_from_db()
    assert story.original_text == changed and story.status == StoryStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="story.resubmitted", target_id=str(story.pk)).exists()
    assert "the driver did stop" in client.get(f"/f/{token}/story/").content.decode()  # their own words


def test_a_published_story_can_no_longer_be_changed_only_withdrawn(
    client: Client, published: tuple[Story, str]
) -> None:
    story, token = published
    page = client.get(f"/f/{token}/story/").content.decode()
    assert "Published" in page and f"/stories/{story.public_id}/" in page and "Withdraw my story" in page
    assert 'name="text"' not in page
    refused = share(client, token, STORY + " more")
    assert refused.status_code == 409 and "can no longer be changed" in refused.content.decode()
    story.refresh_from_db()
    assert story.status == StoryStatus.APPROVED and story.original_text == STORY
    follow_up = client.get(f"/f/{token}/").content.decode()
    assert "Your story is published" in follow_up and f"/f/{token}/story/withdraw/" in follow_up


def test_withdrawing_erases_the_words_at_once_and_a_second_time_is_refused(
    client: Client, published: tuple[Story, str]
) -> None:
    story, token = published
    confirm = client.get(f"/f/{token}/story/withdraw/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    story.refresh_from_db()
    assert story.status == StoryStatus.APPROVED  # a GET withdraws nothing
    response = client.post(f"/f/{token}/story/withdraw/")
    assert response.status_code == 302 and response["Location"] == f"/f/{token}/#story"
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN and story.withdrawn_at is not None
    assert (story.original_text, story.suggested_text, story.final_text) == ("", "", "")
    assert raw_column(story, "final_text") == ""
    entry = AuditEntry.objects.get(action="story.withdrawn")
    assert entry.actor_label == "reporter" and entry.data == {"was": "approved"}
    assert "You withdrew your story" in client.get(f"/f/{token}/").content.decode()

    again = client.post(f"/f/{token}/story/withdraw/")
    assert again.status_code == 410 and "You withdrew your story" in again.content.decode()
    assert client.get(f"/f/{token}/story/withdraw/").status_code == 410
    assert client.get(f"/f/{token}/story/").status_code == 410
    resent = share(client, token)
    assert resent.status_code == 410 and "cannot be sent or withdrawn again" in resent.content.decode()
    assert AuditEntry.objects.filter(action="story.withdrawn").count() == 1


def test_a_waiting_story_can_be_withdrawn_too(client: Client, shared: tuple[Story, str]) -> None:
    story, token = shared
    assert client.post(f"/f/{token}/story/withdraw/").status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN and story.original_text == ""


def test_withdrawing_what_was_never_shared_or_with_a_bad_token_is_a_clear_refusal(
    client: Client, filed: tuple[Report, str]
) -> None:
    _report, token = filed
    none = client.post(f"/f/{token}/story/withdraw/")
    assert none.status_code == 404 and "You have not shared a story" in none.content.decode()
    for path in ("/f/not-a-token/story/", "/f/not-a-token/story/withdraw/"):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 404 and "We don't know this follow-up link" in response.content.decode()


def test_erasing_the_report_erases_its_story(client: Client, published: tuple[Story, str]) -> None:
    story, token = published
    assert client.post(f"/f/{token}/erase/").status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN and story.final_text == "" and story.original_text == ""
    assert story.public_id not in client.get("/stories/").content.decode()


def test_the_reporter_sees_why_a_story_was_not_published_and_can_send_it_again(
    client: Client, shared: tuple[Story, str], moderating: Client
) -> None:
    story, token = shared
    reason = "Please leave out the line where you name the tram line: it could point to you."
    assert moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": reason}).status_code == 302
    for path in (f"/f/{token}/", f"/f/{token}/story/"):
        page = client.get(path).content.decode()
        assert "not published" in page and "name the tram line" in page
    assert share(client, token, STORY + " Changed as asked.").status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED and story.reject_reason == ""


def test_one_story_per_report_even_when_sent_twice(client: Client, filed: tuple[Report, str]) -> None:
    report, token = filed
    responses: list[Any] = [share(client, token), share(Client(), token, STORY + " again")]
    assert [r.status_code for r in responses] == [302, 302]
    assert Story.objects.filter(report=report).count() == 1


def test_the_reporters_download_holds_their_story(client: Client, published: tuple[Story, str]) -> None:
    story, token = published
    resp = client.post(f"/f/{token}/download/")
    assert resp.status_code == 200
    document = json.loads(resp.content)
    assert document["story"]["status"] == StoryStatus.APPROVED
    assert document["story"]["text"] == story.original_text
    assert document["story"]["published_text"] == story.final_text
