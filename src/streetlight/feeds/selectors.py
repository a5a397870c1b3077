"""Reads of the feeds app: who may see signals, the signals and their posts (never their authors),
the posts' feelings for the perceived-insecurity index, and the sources for the transparency page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from streetlight.accounts.models import User
from streetlight.routing.enums import CASE_ROLES
from streetlight.routing.models import Membership
from streetlight.toolkit.geo import is_night

from .models import FeedSource, Post, Signal, SourceKind


def may_see_signals(*, user: User | AnonymousUser) -> bool:
    """Signals are about public posts, not about reports: any member with a case role of any agency
    may see and handle them (no consent of a reporter is involved)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, role__in=[str(r) for r in CASE_ROLES]).exists()


def open_signal_count() -> int:
    return Signal.objects.filter(status=Signal.Status.OPEN).count()


def signals_open() -> QuerySet[Signal]:
    return Signal.objects.filter(status=Signal.Status.OPEN).order_by("-window_end", "-pk")


def signals_recently_handled(*, limit: int = 20) -> QuerySet[Signal]:
    return Signal.objects.exclude(status=Signal.Status.OPEN).select_related("report").order_by("-handled_at")[:limit]


def signal_get(*, signal_id: int) -> Signal | None:
    return Signal.objects.filter(pk=signal_id).first()


@dataclass(frozen=True)
class ShownPost:
    """What an operator sees of a post: what it says and why it was counted, never who wrote it."""

    text: str
    published_at: datetime
    language: str
    relevance: float
    alert_type: str
    urgency: str
    insecurity: float
    cues: list[str]
    source: str


def signal_posts(*, signal: Signal) -> list[ShownPost]:
    posts = signal.posts.select_related("source").order_by("published_at", "pk")
    return [
        ShownPost(
            text=p.text,
            published_at=p.published_at or p.fetched_at,
            language=p.language,
            relevance=p.relevance,
            alert_type=p.alert_type,
            urgency=p.urgency,
            insecurity=p.insecurity,
            cues=list(p.cues or []),
            source=p.source.name,
        )
        for p in posts
    ]


@dataclass(frozen=True)
class PostFeelings:
    """Relevant, placed posts as inputs of the perceived-insecurity index ("post" source): area code
    and insecurity 0–1 (used as a probability)."""

    area: npt.NDArray[np.object_]
    insecurity: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.insecurity.size)


def post_feelings(*, start: datetime, end: datetime, day_night: str = "") -> PostFeelings:
    """Relevant posts with an area published in [start, end) — at night or by day only if asked (by
    the sun at the post's place, as for reports)."""
    posts = Post.objects.filter(relevant=True, published_at__gte=start, published_at__lt=end).exclude(area_code="")
    rows = list(posts.values_list("area_code", "insecurity", "published_at", "lat", "lon"))
    if day_night:
        night = day_night == "night"
        rows = [
            r for r in rows if r[2] and r[3] is not None and r[4] is not None and is_night(r[2], r[3], r[4]) == night
        ]
    return PostFeelings(
        area=np.array([r[0] for r in rows], dtype=object).reshape(len(rows)),
        insecurity=np.array([r[1] for r in rows], dtype=float).reshape(len(rows)),
    )


@dataclass(frozen=True)
class PublicSource:
    name: str
    kind: str
    retention_days: int


def public_sources() -> list[PublicSource]:
    """The active sources, for the transparency page: which public sources are read, and for how long."""
    return [
        PublicSource(name=s.name, kind=str(SourceKind(s.kind).label), retention_days=s.retention_days)
        for s in FeedSource.objects.filter(active=True).order_by("name")
    ]


def push_source(*, source_id: int) -> FeedSource | None:
    """An active webhook source, or None (unknown, inactive or pulled: all answer the same 404)."""
    return FeedSource.objects.filter(pk=source_id, active=True, kind=SourceKind.WEBHOOK).first()
