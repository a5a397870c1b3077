"""Every read of stories, already limited to what the caller may see: the public reads only ever
return approved stories; moderators read the queue without the report behind a story."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.core import crypto
from streetlight.reports import selectors as report_selectors
from streetlight.reports.models import Area, Category, Report
from streetlight.routing.enums import AgencyKind, Role
from streetlight.routing.models import Membership

from .errors import StoryRefused, withdrawn_refusal
from .models import MeToo, PeerSupportGroup, Story, StoryStatus

#: Who moderates stories — the one place this is decided (docs/stories.md): the city's
#: administrators, and the supervisors of victim-support services and city departments, who know
#: both the people who report and what the city may publish. Django superusers too.
MODERATOR_AGENCY_KINDS = frozenset({AgencyKind.VICTIM_SUPPORT, AgencyKind.CITY_DEPARTMENT})

QUERY_MAX = 100
#: How many of the newest approved stories a search reads (their text is encrypted, so it is
#: searched in Python, not in the database).
SEARCH_SCOPE = 5000
FEED_SIZE = 50


def may_moderate(*, user: User | AnonymousUser) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        Q(role=Role.CITY_ADMIN) | Q(role=Role.SUPERVISOR, agency__kind__in=MODERATOR_AGENCY_KINDS, agency__active=True),
        user=user,
    ).exists()


# --- what a story shows -------------------------------------------------------------------------


def shown_category(category: Category) -> Category:
    """A sensitive sub-category is named by its main category, as in every public output."""
    if category.sensitive and category.parent is not None:
        return category.parent
    return category


def district_of(area: Area | None) -> Area | None:
    """The district an area lies in: itself for a district, else its nearest ancestor that is one
    (a neighbourhood is too small to show with a story). None when there is no district above."""
    seen: set[int] = set()
    while area is not None and area.pk not in seen:
        if area.level == "district":
            return area
        seen.add(area.pk)
        area = area.parent
    return None


# --- the reporter -------------------------------------------------------------------------------


def story_of(*, report: Report) -> Story | None:
    return Story.objects.filter(report=report).first()


def story_to_withdraw(*, report: Report) -> Story:
    """The reporter's story if it can still be withdrawn; else the refusal to show (404 or 410)."""
    story = story_of(report=report)
    if story is None:
        raise StoryRefused(_("You have not shared a story from this report."), status=404)
    if story.status == StoryStatus.WITHDRAWN:
        raise withdrawn_refusal()
    return story


# --- moderators ---------------------------------------------------------------------------------


def _for_moderators(qs: QuerySet[Story]) -> QuerySet[Story]:
    # Neither the report nor its contact details: a moderator reads the story, not the case.
    return qs.select_related("category", "district", "moderator").prefetch_related("category__texts")


def moderation_list(*, status: str) -> QuerySet[Story]:
    """Waiting stories oldest first (fair order); published and refused ones newest first."""
    qs = _for_moderators(Story.objects.filter(status=status))
    if status == StoryStatus.SUBMITTED:
        return qs.order_by("submitted_at", "pk")
    return qs.order_by("-moderated_at", "-pk")


def moderation_counts() -> dict[str, int]:
    counts = dict.fromkeys(StoryStatus.values, 0)
    for row in Story.objects.values("status").order_by().annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def story_for_moderation(*, pk: int) -> Story:
    """A story for the moderator's screen; a withdrawn one is gone (404), like one that never was."""
    story = _for_moderators(Story.objects.exclude(status=StoryStatus.WITHDRAWN)).filter(pk=pk).first()
    if story is None:
        raise StoryRefused(_("This story does not exist, or its author withdrew it."), status=404)
    return story


# --- the public ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WallFilters:
    category: str = ""
    district: str = ""
    query: str = ""

    @property
    def any(self) -> bool:
        return bool(self.category or self.district or self.query)


def category_choices() -> list[tuple[str, str]]:
    """Main categories: a story is filed under its main category or one of its sub-categories."""
    return [(c.code, c.name()) for c in report_selectors.category_list().filter(parent__isnull=True)]


def district_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in report_selectors.area_list().filter(level="district")]


def filters_parse(*, category: str, district: str, query: str) -> WallFilters:
    """The wall's, the feed's and the exports' filters; StoryRefused (400) naming the parameter."""
    category, district, query = category.strip(), district.strip(), " ".join(query.split())
    if category and category not in {code for code, _name in category_choices()}:
        raise StoryRefused(_("Choose one of the categories offered."), status=400, field="category")
    if district and district not in {code for code, _name in district_choices()}:
        raise StoryRefused(_("Choose one of the districts offered."), status=400, field="district")
    if len(query) > QUERY_MAX:
        raise StoryRefused(_("Search with at most %(n)d characters.") % {"n": QUERY_MAX}, status=400, field="q")
    return WallFilters(category=category, district=district, query=query)


def _published() -> QuerySet[Story]:
    """The only door to public stories: approved, never anything else."""
    return (
        Story.objects.filter(status=StoryStatus.APPROVED)
        .select_related("category__parent", "district")
        .prefetch_related("category__texts")
        .only(
            "public_id",
            "status",
            "final_text",
            "language",
            "month",
            "me_too_count",
            "published_at",
            "category",
            "district",
        )
        .order_by("-published_at", "-pk")
    )


def _fold(text: str) -> str:
    """Case and accents aside: "égalité" is found by "egalite"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matches(story: Story, words: Sequence[str]) -> bool:
    text = _fold(story.final_text)
    return all(word in text for word in words)


def wall(*, filters: WallFilters) -> QuerySet[Story] | list[Story]:
    """Approved stories, newest first, filtered; with a query, those whose published text holds
    every word of it (searched among the newest SEARCH_SCOPE)."""
    qs = _published()
    if filters.category:
        qs = qs.filter(Q(category__code=filters.category) | Q(category__parent__code=filters.category))
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if not filters.query:
        return qs
    words = [_fold(word) for word in filters.query.split()]
    return [story for story in qs[:SEARCH_SCOPE] if _matches(story, words)]


def feed_entries(*, filters: WallFilters) -> list[Story]:
    return list(wall(filters=filters)[:FEED_SIZE])


def export_entries(*, filters: WallFilters) -> Iterable[Story]:
    """Every approved story matching the filters (the whole wall, not one page)."""
    return wall(filters=filters)


def public_story(*, public_id: str) -> Story:
    story = _published().filter(public_id=public_id[:16]).first()
    if story is None:
        raise StoryRefused(_("This story is not published, or its author withdrew it."), status=404)
    return story


def me_too_key(*, browser: str, story: Story) -> str:
    """The keyed hash kept for one browser's mark on one story (the cookie itself is never stored)."""
    return crypto.blind_index(f"story-me-too:{story.pk}:{browser}")


def marked_by(*, browser: str, stories: Iterable[Story]) -> set[int]:
    """The stories among these that this browser already marked."""
    if not browser:
        return set()
    keys = {me_too_key(browser=browser, story=story): story.pk for story in stories}
    found = MeToo.objects.filter(browser__in=keys.keys()).values_list("browser", flat=True)
    return {keys[key] for key in found}


def peer_groups(*, category: str | Category | None, language: str) -> list[PeerSupportGroup]:
    """Active groups for this main category (or for every category), speaking this language (or
    listing none). `category` is a main category's code, a category, or None for every group."""
    qs = PeerSupportGroup.objects.filter(active=True).prefetch_related("texts", "categories")
    if isinstance(category, Category):
        category = category.parent.code if category.parent is not None else category.code
    if category:
        qs = qs.filter(Q(categories__code=category) | Q(categories__isnull=True)).distinct()
    return [g for g in qs.order_by("order", "code") if not g.languages or language in cast(list[str], g.languages)]
