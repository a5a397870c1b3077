"""Bursts of relevant posts about one place → `Signal`s, inside the transaction that stores the posts,
so a signal exists exactly when its posts do. Posts of every source count together: three neighbour
groups talking about one square is the same burst."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q

from streetlight.toolkit.posts import detect_bursts

from . import conf
from .models import Post, Signal


def place_key(post: Post) -> str:
    """The place a post is counted at: its gazetteer place, else its area, else none ("")."""
    if post.place:
        return f"place:{post.place}"
    if post.area_code:
        return f"area:{post.area_code}"
    return ""


def _at(key: str) -> Q:
    kind, _sep, name = key.partition(":")
    return Q(place=name) if kind == "place" else Q(place="", area_code=name)


def signals_detect(*, posts: Iterable[Post], now: datetime) -> list[Signal]:
    """Signals for the places of newly stored relevant posts (ids set). A burst overlapping a signal
    of the same place joins it (keeping its status: a dismissed burst that goes on is not raised
    again) instead of raising a second one."""
    kwargs = conf.burst_kwargs()
    window: timedelta = kwargs["window"]
    horizon = now - timedelta(hours=float(conf.value("SIGNAL_MAX_AGE_HOURS")))
    touched: dict[str, list[datetime]] = {}
    for post in posts:
        key = place_key(post)
        if post.relevant and key and post.published_at and post.published_at >= horizon:
            touched.setdefault(key, []).append(post.published_at)
    out: list[Signal] = []
    for key, times in sorted(touched.items()):
        nearby = list(
            Post.objects.filter(
                _at(key), relevant=True, published_at__gte=min(times) - window, published_at__lte=max(times) + window
            ).only("pk", "published_at", "place", "area_code", "lat", "lon")
        )
        for burst in detect_bursts([(key, p.published_at) for p in nearby if p.published_at], **kwargs):
            members = [p for p in nearby if p.published_at and burst.start <= p.published_at <= burst.end]
            out.append(_record(key, burst.start, burst.end, burst.score, members, now))
        out.extend(_join(key, posts_at(nearby, times), window))
    return out


def posts_at(nearby: list[Post], times: list[datetime]) -> list[Post]:
    wanted = set(times)
    return [p for p in nearby if p.published_at in wanted]


def _join(key: str, posts: list[Post], window: timedelta) -> list[Signal]:
    """A post within a window of a signal of its place belongs to that burst (the detector stays
    quiet for a window after a burst, so it would not report it again)."""
    joined: list[Signal] = []
    for post in posts:
        assert post.published_at is not None
        signal = (
            Signal.objects.select_for_update()
            .filter(place_key=key, window_end__gte=post.published_at - window, window_start__lte=post.published_at)
            .order_by("-window_end")
            .first()
        )
        if signal is None or signal.posts.filter(pk=post.pk).exists():
            continue
        signal.posts.add(post)
        signal.window_end = max(signal.window_end, post.published_at)
        signal.post_count = signal.posts.count()
        signal.save(update_fields=["window_end", "post_count"])
        joined.append(signal)
    return joined


def _record(key: str, start: datetime, end: datetime, score: float, members: list[Post], now: datetime) -> Signal:
    window: timedelta = conf.burst_kwargs()["window"]
    signal = (
        Signal.objects.select_for_update()
        .filter(place_key=key, window_end__gte=start - window, window_start__lte=end)
        .order_by("-window_end")
        .first()
    )
    if signal is None:
        first = members[0]
        signal = Signal.objects.create(
            place_key=key,
            place=first.place,
            area_code=first.area_code,
            lat=first.lat,
            lon=first.lon,
            window_start=start,
            window_end=end,
            post_count=0,
            score=round(score, 3),
            created_at=now,
        )
    signal.posts.add(*members)
    signal.window_start = min(signal.window_start, start)
    signal.window_end = max(signal.window_end, end)
    signal.score = max(signal.score, round(score, 3))
    signal.post_count = signal.posts.count()
    signal.save(update_fields=["window_start", "window_end", "score", "post_count"])
    return signal
