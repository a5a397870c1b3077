"""A reporter's story (one per report), the "this happened to me too" marks, and the peer-support
groups the city lists.

What a story publishes is chosen here: its category (a sensitive sub-category is named by its main
category, as every public output does), its district (never a point, an address or a neighbourhood),
its month (never a day or a time) and the moderator's final text. The reporter's words, the
suggested redaction and the final text are free text a person wrote: encrypted at rest."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from streetlight.core.fields import EncryptedTextField
from streetlight.reports.models import Area, Category, Report, pick_translation

#: The longest story a reporter may send, and the longest text a moderator may publish.
MAX_LENGTH = 3000
MIN_LENGTH = 20
REASON_MAX_LENGTH = 500


def new_public_id() -> str:
    """The story's id on the wall, in the feed and in exports: random, so it says nothing of the
    report, of how many stories were sent, or of which were refused."""
    return secrets.token_urlsafe(9)


class StoryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("a story", "Published")  # its own context: genders differ
    REJECTED = "rejected", _("Not published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Story(models.Model):
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="story")
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=StoryStatus.choices, default=StoryStatus.SUBMITTED, db_index=True
    )
    # What the wall shows beside the text; set from the report when sent and again when approved.
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month it happened."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")

    original_text = EncryptedTextField(_("the reporter's text"), blank=True)
    suggested_text = EncryptedTextField(_("suggested redaction"), blank=True)
    final_text = EncryptedTextField(_("text to publish"), blank=True)
    reject_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent at"))
    updated_at = models.DateTimeField(_("updated at"))
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    me_too_count = models.PositiveIntegerField(_("“this happened to me too”"), default=0)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            # Nothing is public without a moderator's text; a withdrawn story keeps no words.
            models.CheckConstraint(
                condition=~Q(status="approved") | (~Q(final_text="") & Q(published_at__isnull=False)),
                name="story_approved_has_text",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn")
                | Q(original_text="", suggested_text="", final_text="", withdrawn_at__isnull=False),
                name="story_withdrawn_is_empty",
            ),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reject_reason=""), name="story_rejected_why"),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return f"story {self.public_id}"

    @property
    def public(self) -> bool:
        return self.status == StoryStatus.APPROVED


class MeToo(models.Model):
    """One "this happened to me too" per browser and story. `browser` is a keyed hash of a random
    cookie and the story: never an address, and no two stories' marks can be joined to one browser."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="me_toos")
    browser = models.CharField(max_length=64)
    at = models.DateField()  # the day only: enough to look into a burst, too coarse to trace anyone

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "browser"], name="uniq_me_too_per_browser")]

    def __str__(self) -> str:
        return f"me too on {self.story_id}"


class PeerSupportGroup(models.Model):
    """A group where people who went through the same thing meet, listed by the city in the admin."""

    code = models.SlugField(_("code"), unique=True)
    url = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="peer_support_groups",
        limit_choices_to={"parent__isnull": True},
        help_text=_("Main categories it is for; empty: every category."),
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Empty: shown whatever the language.")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("peer-support group")
        verbose_name_plural = _("peer-support groups")

    def __str__(self) -> str:
        return self.code

    def text(self, language: str | None = None) -> PeerSupportGroupText | None:
        return pick_translation({t.language: t for t in self.texts.all()}, language)


class PeerSupportGroupText(models.Model):
    group = models.ForeignKey(PeerSupportGroup, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    meets = models.CharField(_("when and where it meets"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "language"], name="uniq_peer_group_text_language")]

    def __str__(self) -> str:
        return self.name
