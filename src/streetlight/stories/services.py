"""Every write of stories: the reporter's (send, edit, withdraw), the moderator's (edit, approve,
reject), a visitor's "this happened to me too", and the city's peer-support groups. Each reporter
and moderator step is audited in its own transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.models import Category, Report
from streetlight.triage.presenters import REDACTION_LABELS

from . import redaction, selectors
from .errors import StoryRefused, published_refusal, withdrawn_refusal
from .models import (
    MAX_LENGTH,
    MIN_LENGTH,
    REASON_MAX_LENGTH,
    MeToo,
    PeerSupportGroup,
    PeerSupportGroupText,
    Story,
    StoryStatus,
)

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


# --- checks shared by the forms and the services -----------------------------------------------


def _grouped(n: int) -> str:
    return str(number_format(n, force_grouping=True))


def text_clean(value: str, *, field: str = "text") -> str:
    text = value.strip().replace("\r\n", "\n")
    if len(text) > MAX_LENGTH:
        raise StoryRefused(
            _("Your story is too long: at most %(max)s characters (it has %(n)s).")
            % {"max": _grouped(MAX_LENGTH), "n": _grouped(len(text))},
            status=400,
            field=field,
        )
    if len(text) < MIN_LENGTH:
        raise StoryRefused(
            _("Tell a little more: at least %(min)d characters.") % {"min": MIN_LENGTH}, status=400, field=field
        )
    return text


def _language_clean(language: str) -> str:
    if language not in LANGUAGES:
        raise StoryRefused(_("Choose one of the languages offered."), status=400, field="language")
    return language


def _month(report: Report) -> date:
    return timezone.localtime(report.occurred_from).date().replace(day=1)


def _placed(story: Story, report: Report) -> None:
    """Category, district and month from the report as it is now (staff may have corrected it)."""
    story.category = selectors.shown_category(report.category)
    story.district = selectors.district_of(report.area)
    story.month = _month(report)


def _locked(report: Report) -> Story | None:
    return Story.objects.select_for_update().filter(report=report).first()


# --- the reporter, by their follow-up token ------------------------------------------------------


def story_submit(*, report: Report, text: str, language: str) -> Story:
    """Send a story, or change it while it waits or after it was not published: it goes (back) to
    the moderation queue with a fresh redaction suggestion."""
    text, language = text_clean(text), _language_clean(language)
    now = timezone.now()
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()  # one story per report, even racing
        story = _locked(report)
        if story is not None and story.status == StoryStatus.WITHDRAWN:
            raise withdrawn_refusal()
        if story is not None and story.status == StoryStatus.APPROVED:
            raise published_refusal()
        action = "story.submitted" if story is None else "story.resubmitted"
        story = story or Story(report=report, submitted_at=now)
        _placed(story, report)
        story.language, story.original_text = language, text
        story.suggested_text = redaction.suggest(text)
        story.final_text, story.reject_reason = "", ""
        story.status, story.submitted_at, story.updated_at = StoryStatus.SUBMITTED, now, now
        story.moderator, story.moderated_at = None, None
        story.save()
        audit.record(
            actor=None,
            action=action,
            target=story,
            data={"length": len(text), "redacted": redaction.left_in(text)},
            actor_label="reporter",
        )
    return story


def story_withdraw(*, report: Report) -> Story:
    """At any time: the words are erased at once and the story leaves the wall, the feed and the
    exports. The row stays, empty, so the link can say it was withdrawn."""
    with transaction.atomic():
        story = _locked(report)
        if story is None:
            raise StoryRefused(_("You have not shared a story from this report."), status=404)
        if story.status == StoryStatus.WITHDRAWN:
            raise withdrawn_refusal()
        was = story.status
        _erase(story, now=timezone.now())
        audit.record(actor=None, action="story.withdrawn", target=story, data={"was": was}, actor_label="reporter")
    return story


def _erase(story: Story, *, now: Any) -> None:
    story.original_text = story.suggested_text = story.final_text = ""
    story.status, story.withdrawn_at, story.updated_at, story.me_too_count = StoryStatus.WITHDRAWN, now, now, 0
    story.save()
    MeToo.objects.filter(story=story).delete()


def story_wipe_on_erasure(sender: type[Report], instance: Report, **kwargs: Any) -> None:
    """post_save of a report: once its personal content is removed, so is its story (the erasure's
    own audit entry records the erasure)."""
    if instance.anonymised_at is None:
        return
    for story in Story.objects.filter(report_id=instance.pk).exclude(status=StoryStatus.WITHDRAWN):
        _erase(story, now=instance.anonymised_at)


# --- moderators ----------------------------------------------------------------------------------


def _for_moderator(pk: int) -> Story:
    story = Story.objects.select_for_update().filter(pk=pk).exclude(status=StoryStatus.WITHDRAWN).first()
    if story is None:
        raise StoryRefused(_("This story does not exist, or its author withdrew it."), status=404)
    return story


def _guard(text: str) -> str:
    """The guard no moderator can bypass: what the redaction still finds is never published."""
    text = text_clean(text)
    if found := redaction.left_in(text):
        names = ", ".join(str(REDACTION_LABELS[kind]) for kind in found)
        raise StoryRefused(
            _("The text still contains personal data (%(found)s). Remove it, or start again from the suggested text.")
            % {"found": names},
            status=400,
            field="text",
        )
    return text


def story_edit(*, actor: User, pk: int, text: str) -> Story:
    """Save the moderator's text without deciding. A published story changes at once, so its new
    text must pass the guard; a waiting one only has to fit the length."""
    with transaction.atomic():
        story = _for_moderator(pk)
        text = _guard(text) if story.status == StoryStatus.APPROVED else text_clean(text)
        changed = text != story.final_text
        story.final_text, story.updated_at = text, timezone.now()
        story.save(update_fields=["final_text", "updated_at"])
        audit.record(
            actor=actor,
            action="story.edited",
            target=story,
            data={"status": story.status, "changed": changed, "length": len(text)},
        )
    return story


def story_approve(*, actor: User | None, pk: int, text: str) -> Story:
    """Publish the moderator's text, never the reporter's own words unread: the guard runs on it."""
    with transaction.atomic():
        story = _for_moderator(pk)
        if story.status == StoryStatus.APPROVED:
            raise StoryRefused(_("This story is already published; save a change to its text instead."))
        text = _guard(text)
        report = Report.objects.select_related("category__parent", "area__parent").get(pk=story.report_id)
        _placed(story, report)
        now = timezone.now()
        edited = text != story.suggested_text
        story.final_text, story.reject_reason = text, ""
        story.status, story.moderator, story.moderated_at = StoryStatus.APPROVED, actor, now
        story.published_at, story.updated_at = now, now
        story.save()
        audit.record(
            actor=actor,
            action="story.approved",
            target=story,
            data={"edited": edited, "length": len(text), "category": story.category.code},
        )
    return story


def reason_clean(value: str) -> str:
    reason = " ".join(value.split())
    if not reason:
        raise StoryRefused(_("Say why, in a sentence the author will read."), status=400, field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise StoryRefused(
            _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX_LENGTH}, status=400, field="reason"
        )
    return reason


def story_reject(*, actor: User, pk: int, reason: str) -> Story:
    """Refuse a waiting story, or take a published one down; the author sees the reason and may
    send a changed story."""
    reason = reason_clean(reason)
    with transaction.atomic():
        story = _for_moderator(pk)
        if story.status == StoryStatus.REJECTED:
            raise StoryRefused(_("This story is already not published."))
        was = story.status
        now = timezone.now()
        story.status, story.reject_reason = StoryStatus.REJECTED, reason
        story.moderator, story.moderated_at, story.published_at, story.updated_at = actor, now, None, now
        story.save()
        audit.record(actor=actor, action="story.rejected", target=story, data={"was": was, "reason": reason})
    return story


# --- visitors ------------------------------------------------------------------------------------


def me_too_add(*, public_id: str, browser: str) -> tuple[Story, bool]:
    """Count one "this happened to me too" per browser; a second one from the same browser is
    accepted and counts nothing. Returns the story and whether this one counted."""
    story = selectors.public_story(public_id=public_id)
    key = selectors.me_too_key(browser=browser, story=story)
    try:
        with transaction.atomic():
            MeToo.objects.create(story=story, browser=key, at=timezone.localdate())
            Story.objects.filter(pk=story.pk, status=StoryStatus.APPROVED).update(me_too_count=F("me_too_count") + 1)
    except IntegrityError:
        return story, False
    story.refresh_from_db(fields=["me_too_count"])
    return story, True


# --- the city's catalog ----------------------------------------------------------------------------


@transaction.atomic
def peer_groups_load(*, groups: list[dict[str, Any]]) -> int:
    """Load or update peer-support groups from the city's catalog (as support services are)."""
    for order, item in enumerate(groups):
        group, _created = PeerSupportGroup.objects.update_or_create(
            code=item["code"],
            defaults={
                "url": item.get("url", ""),
                "phone": item.get("phone", ""),
                "languages": list(item.get("languages") or []),
                "active": bool(item.get("active", True)),
                "order": order,
            },
        )
        group.categories.set(Category.objects.filter(code__in=item.get("categories") or [], parent__isnull=True))
        for language, text in item["i18n"].items():
            PeerSupportGroupText.objects.update_or_create(
                group=group,
                language=language,
                defaults={
                    "name": text["name"],
                    "description": text.get("description", ""),
                    "meets": text.get("meets", ""),
                },
            )
    audit.record(actor=None, action="catalog.peer_groups_loaded", data={"count": len(groups)})
    return len(groups)
