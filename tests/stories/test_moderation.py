"""The moderation queue: who may moderate, what a moderator sees (never the report's contact
details), approve, edit and reject with a reason — every step audited — and the guard that keeps
any e-mail or phone number out of a published story."""

from __future__ import annotations

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.stories.models import Story, StoryStatus
from streetlight.toolkit.triage.redact import redact
from tests.staff import member, signed_in

from .factories import CONTACT_EMAIL, DESCRIPTION, STORY, approve, share

pytestmark = pytest.mark.django_db

LEAKY = STORY + " Write to me at someone@example.org or call +39 345 678 9012."


def test_the_queue_shows_waiting_stories_without_the_report_behind_them(
    shared: tuple[Story, str], moderating: Client
) -> None:
    story, _token = shared
    queue = moderating.get("/control/stories/")
    page = queue.content.decode()
    assert queue.status_code == 200 and queue["Cache-Control"] == "no-store"
    assert f"/control/stories/{story.pk}/" in page and "Street harassment" in page and story.district is not None
    assert story.district.name in page
    detail = moderating.get(f"/control/stories/{story.pk}/").content.decode()
    assert "nobody said anything" in detail and "Street harassment" in detail
    for secret in (story.report.reference, CONTACT_EMAIL, DESCRIPTION, "Unwanted touching"):
        assert secret not in page and secret not in detail


def test_the_moderator_sees_what_the_redaction_would_remove(
    client: Client, filed: tuple[object, str], moderating: Client
) -> None:
    _report, token = filed
    assert share(client, token, LEAKY).status_code == 302
    story = Story.objects.get()
    page = moderating.get(f"/control/stories/{story.pk}/").content.decode()
    assert "<mark>someone@example.org" in page and "<mark>+39 345 678 9012" in page
    assert "[email]" in page and "[phone]" in page  # the suggested text fills the editor
    assert redact(story.suggested_text).spans == ()  # the suggestion itself passes the guard


def test_approving_publishes_the_moderators_text_and_is_audited(
    shared: tuple[Story, str], moderating: Client, moderator: User
) -> None:
    story, _token = shared
    final = STORY.replace("on my way home", "one evening")
    response = approve(moderating, story, final)
    assert response.status_code == 302 and response["Location"] == f"/control/stories/{story.pk}/?saved=approved"
    story.refresh_from_db()
    assert story.status == StoryStatus.APPROVED and story.final_text == final
    assert story.moderator == moderator and story.published_at is not None
    entry = AuditEntry.objects.get(action="story.approved")
    assert entry.actor == moderator and entry.target_id == str(story.pk)
    assert entry.data["edited"] is True and entry.data["category"] == "harassment"
    wall = Client().get("/stories/").content.decode()
    assert "one evening" in wall and "on my way home" not in wall


@pytest.mark.parametrize(
    ("left", "named"),
    [("someone@example.org", "e-mail address"), ("+39 345 678 9012", "phone number"), ("0476 12 34 56", "phone")],
)
def test_approval_is_refused_while_an_email_or_phone_number_remains(
    shared: tuple[Story, str], moderating: Client, left: str, named: str
) -> None:
    story, _token = shared
    response = approve(moderating, story, f"{STORY} Reach me: {left}")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Text to publish" in page and "still contains personal data" in page and named in page
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED and story.final_text == ""
    assert not AuditEntry.objects.filter(action="story.approved").exists()
    assert left not in Client().get("/stories/").content.decode()


def test_the_suggested_redaction_removes_emails_and_phone_numbers(
    client: Client, filed: tuple[object, str], moderating: Client
) -> None:
    _report, token = filed
    share(client, token, LEAKY)
    story = Story.objects.get()
    assert approve(moderating, story).status_code == 302  # the suggestion as it is
    story.refresh_from_db()
    for public in (
        Client().get("/stories/").content.decode(),
        Client().get("/stories/feed.atom").content.decode(),
        Client().get("/stories/stories.csv").content.decode(),
        Client().get("/stories/stories.json").content.decode(),
        story.final_text,
    ):
        assert "someone@example.org" not in public and "9012" not in public
        assert "nobody said anything" in public


def test_editing_saves_the_text_and_is_audited_and_a_published_edit_passes_the_guard(
    shared: tuple[Story, str], moderating: Client
) -> None:
    story, _token = shared
    saved = moderating.post(f"/control/stories/{story.pk}/edit/", {"text": STORY + " (edited)"})
    assert saved.status_code == 302
    story.refresh_from_db()
    assert story.final_text.endswith("(edited)") and story.status == StoryStatus.SUBMITTED
    assert "(edited)" not in Client().get("/stories/").content.decode()  # saved is not published
    assert AuditEntry.objects.filter(action="story.edited", target_id=str(story.pk)).count() == 1
    assert approve(moderating, story, story.final_text).status_code == 302
    leaky = moderating.post(f"/control/stories/{story.pk}/edit/", {"text": STORY + " call 0476 12 34 56"})
    assert leaky.status_code == 400 and "phone number" in leaky.content.decode()
    story.refresh_from_db()
    assert story.final_text.endswith("(edited)")


def test_rejecting_needs_a_reason_and_is_audited(shared: tuple[Story, str], moderating: Client) -> None:
    story, _token = shared
    missing = moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": "  "})
    assert missing.status_code == 400 and "Why it is not published" in missing.content.decode()
    reason = "It names a person who could be recognised."
    assert moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": reason}).status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.REJECTED and story.reject_reason == reason
    entry = AuditEntry.objects.get(action="story.rejected")
    assert entry.data == {"was": "submitted", "reason": reason}
    again = moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": reason})
    assert again.status_code == 409 and "already not published" in again.content.decode()


def test_a_published_story_can_be_taken_down(published: tuple[Story, str], moderating: Client) -> None:
    story, _token = published
    assert story.public_id in Client().get("/stories/").content.decode()
    assert moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": "A complaint."}).status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.REJECTED and story.published_at is None
    assert story.public_id not in Client().get("/stories/").content.decode()
    assert Client().get(f"/stories/{story.public_id}/").status_code == 404


def test_a_withdrawn_story_is_gone_from_the_queue(published: tuple[Story, str], moderating: Client) -> None:
    story, token = published
    Client().post(f"/f/{token}/story/withdraw/")
    assert moderating.get(f"/control/stories/{story.pk}/").status_code == 404
    assert approve(moderating, story, STORY).status_code == 404
    for status in ("submitted", "approved", "rejected"):
        assert (
            f"/control/stories/{story.pk}/" not in moderating.get(f"/control/stories/?status={status}").content.decode()
        )


@pytest.mark.parametrize(
    ("agency", "role"),
    [
        ("police", "supervisor"),
        ("police", "agency_admin"),
        ("victim-support", "operator"),
        ("victim-support", "case_worker"),
        ("city-safety", "analyst"),
    ],
)
def test_other_staff_are_refused(shared: tuple[Story, str], agency: str, role: str) -> None:
    story, _token = shared
    staff = signed_in(member(agency, role))
    for path in ("/control/stories/", f"/control/stories/{story.pk}/"):
        response = staff.get(path)
        assert response.status_code == 403 and "Not for your role" in response.content.decode()
    assert approve(staff, story).status_code == 403
    assert staff.post(f"/control/stories/{story.pk}/reject/", {"reason": "no"}).status_code == 403
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action__in=["story.approved", "story.rejected"]).exists()


@pytest.mark.parametrize(("agency", "role"), [("victim-support", "supervisor"), ("police", "city_admin")])
def test_victim_support_supervisors_and_city_admins_moderate(agency: str, role: str) -> None:
    assert signed_in(member(agency, role)).get("/control/stories/").status_code == 200


def test_signed_out_visitors_go_to_the_sign_in(client: Client, shared: tuple[Story, str]) -> None:
    story, _token = shared
    response = client.get(f"/control/stories/{story.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_bad_queue_input_is_refused(moderating: Client) -> None:
    response = moderating.get("/control/stories/?status=withdrawn")
    assert response.status_code == 400 and "status" in response.content.decode()
    assert moderating.get("/control/stories/2147483600/").status_code == 404
    too_long = moderating.post("/control/stories/2147483600/approve/", {"text": "x" * 3001})
    assert too_long.status_code == 404
