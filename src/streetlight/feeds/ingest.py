"""Ingestion: fetch (or receive) a source, parse, understand, and store in batches.

Each batch is one transaction holding its posts AND the cursor's advance (and any signals they
raise): a crash between batches loses nothing (the cursor has not moved past what is unstored) and
doubles nothing (the unique (source, item_id) constraint drops a post stored before). An RSS/export
validator (ETag, Last-Modified) is saved only with the batch that finishes the document, so a crash
mid-document never turns into a "304 Not Modified" over unstored posts.

Nothing a source sends may crash a connector: every skipped item and every failure is kept in the
run's log (IngestRun) and in the Python log, with its reason."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from streetlight.toolkit.posts import FeedError, ParseResult, RawPost, Skipped, parse_csv, parse_jsonl, parse_mastodon
from streetlight.toolkit.posts import parse_rss as parse_rss_feed

from . import conf
from .detect import signals_detect
from .fetch import Fetched, FetchFailed, source_fetch
from .models import FeedSource, Health, IngestRun, Post, SourceKind
from .understand import understand

logger = logging.getLogger("streetlight.feeds")


def parse(source: FeedSource, data: bytes) -> ParseResult:
    """The toolkit parser of the source's kind; FeedError (or ValueError for a bad mapping) if unusable."""
    mapping = source.mapping or None
    if source.kind == SourceKind.RSS:
        return parse_rss_feed(data)
    if source.kind == SourceKind.MASTODON:
        return parse_mastodon(data)
    if source.kind == SourceKind.CSV:
        return parse_csv(data, mapping)
    return parse_jsonl(data, mapping)  # JSON-lines exports and webhook pushes


def _id_order(item_id: str) -> tuple[int, int, str]:
    """Mastodon ids are numbers written as strings: compare them as numbers."""
    return (0, int(item_id), "") if item_id.isdigit() else (1, 0, item_id)


class _Log:
    """The run's counters and its capped list of skipped items, logged as they come."""

    def __init__(self, run: IngestRun) -> None:
        self.run = run
        self.cap = int(conf.value("MAX_SKIPPED_LOGGED"))

    def skip(self, items: Sequence[Skipped]) -> None:
        for item in items:
            logger.info(
                "feeds: %s (source %s): skipped %s: %s",
                self.run.source.name,
                self.run.source.pk,
                item.position,
                item.reason,
            )
            self.run.skipped += 1
            if len(self.run.skipped_reasons) < self.cap:
                self.run.skipped_reasons.append({"position": item.position[:80], "reason": item.reason[:300]})


def _known(source: FeedSource, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        known.update(Post.objects.filter(source=source, item_id__in=chunk).values_list("item_id", flat=True))
    return known


def _store_batch(
    *, source: FeedSource, raws: list[RawPost], cursor_update: dict[str, Any], log: _Log, now: datetime
) -> None:
    """Understand (outside the transaction), then store the posts, the cursor and signals at once."""
    rows = understand(raws, source=source, now=now) if raws else []
    log.skip([Skipped(f"item {r.post.item_id!r}" if r.post else "item", r.skipped) for r in rows if r.skipped])
    posts = [r.post for r in rows if r.post is not None]
    with transaction.atomic():
        locked = FeedSource.objects.select_for_update().get(pk=source.pk)
        ids = [p.item_id for p in posts]
        before = _known(source, ids)
        Post.objects.bulk_create(posts, ignore_conflicts=True)
        new_ids = [i for i in ids if i not in before]
        stored = list(Post.objects.filter(source=source, item_id__in=new_ids)) if new_ids else []
        cursor = {**(locked.cursor or {}), **cursor_update}
        FeedSource.objects.filter(pk=source.pk).update(cursor=cursor)
        source.cursor = cursor
        signals = signals_detect(posts=stored, now=now)
    log.run.new += len(new_ids)
    log.run.duplicates += len(ids) - len(new_ids)
    log.run.signals += len({s.pk for s in signals})


def ingest_posts(
    *, source: FeedSource, result: ParseResult, log: _Log, now: datetime, validators: dict[str, str] | None = None
) -> bool:
    """Store a parsed document's new posts in batches, at most the source's max per run; True when the
    document was taken in whole (then its validators are saved with the last batch)."""
    log.run.fetched += len(result.posts) + len(result.skipped)
    log.skip(result.skipped)
    posts = list(result.posts)
    mastodon = source.kind == SourceKind.MASTODON
    if mastodon:
        posts.sort(key=lambda p: _id_order(p.item_id))  # oldest first: since_id only moves forward
    known = _known(source, [p.item_id for p in posts])
    log.run.duplicates += len(known)
    fresh = [p for p in posts if p.item_id not in known]
    limit = max(1, source.max_posts_per_run)
    whole = len(fresh) <= limit
    fresh = fresh[:limit]
    size = max(1, int(conf.value("BATCH")))
    batches = [fresh[i : i + size] for i in range(0, len(fresh), size)] or [[]]
    for number, batch in enumerate(batches, start=1):
        update: dict[str, Any] = {}
        if mastodon:  # past this batch; past the whole page (stored duplicates too) with the last one
            ids = [p.item_id for p in batch] + ([p.item_id for p in posts] if number == len(batches) and whole else [])
            since = source.cursor.get("since_id")
            candidates = ids + ([str(since)] if since else [])
            if candidates:
                update["since_id"] = max(candidates, key=_id_order)
        if number == len(batches) and whole and validators:
            update.update(validators)
        if batch or update:
            _store_batch(source=source, raws=batch, cursor_update=update, log=log, now=now)
    return whole


def _start(source: FeedSource, now: datetime, *, pushed: bool = False) -> IngestRun:
    return IngestRun.objects.create(source=source, started_at=now, pushed=pushed)


def _finish(run: IngestRun, outcome: str, error: str = "") -> IngestRun:
    run.outcome, run.error, run.finished_at = outcome, error[:2000], timezone.now()
    run.save()
    return run


def _failed(source: FeedSource, run: IngestRun, reason: str, now: datetime) -> IngestRun:
    """Count the failure; the N-th in a row pauses the source until an administrator resumes it."""
    limit = int(conf.value("PAUSE_AFTER_FAILURES"))
    failures = source.failures + 1
    health = Health.PAUSED if failures >= limit else Health.FAILING
    FeedSource.objects.filter(pk=source.pk).update(failures=failures, health=health, last_error=reason[:2000])
    source.failures, source.health, source.last_error = failures, health, reason[:2000]
    log = logger.warning if health == Health.PAUSED else logger.info
    log(
        "feeds: %s (source %s) failed (%d in a row%s): %s",
        source.name,
        source.pk,
        failures,
        ", now paused" if health == Health.PAUSED else "",
        reason,
    )
    return _finish(run, IngestRun.Outcome.FAILED, reason)


def _succeeded(source: FeedSource, now: datetime) -> None:
    FeedSource.objects.filter(pk=source.pk).update(failures=0, health=Health.OK, last_error="", last_success_at=now)
    source.failures, source.health, source.last_error, source.last_success_at = 0, Health.OK, "", now


def feed_fetch(*, source: FeedSource, now: datetime | None = None) -> IngestRun:
    """Fetch one source now (unless fetched less than its minimum interval ago) and store what is
    new. Never raises for anything the source sends or the network does: the run says what happened."""
    now = now or timezone.now()
    source.refresh_from_db()
    run = _start(source, now)
    if source.kind == SourceKind.WEBHOOK:
        return _finish(run, IngestRun.Outcome.FAILED, "a webhook source is pushed to, never fetched")
    last = source.last_fetch_at
    if last is not None and now - last < timedelta(seconds=source.min_interval_seconds):
        logger.info(
            "feeds: %s (source %s) skipped: fetched %s ago, minimum interval %ss",
            source.name,
            source.pk,
            now - last,
            source.min_interval_seconds,
        )
        return _finish(run, IngestRun.Outcome.RATE_LIMITED, "fetched too recently")
    FeedSource.objects.filter(pk=source.pk).update(last_fetch_at=now)
    source.last_fetch_at = now
    log = _Log(run)
    try:
        fetched: Fetched = source_fetch(source)
        if fetched.data is None:
            _succeeded(source, now)
            return _finish(run, IngestRun.Outcome.NOT_MODIFIED)
        try:
            result = parse(source, fetched.data)
        except (FeedError, ValueError) as exc:
            log.skip([Skipped("document", str(exc))])
            return _failed(source, run, f"unusable document: {exc}", now)
        validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        whole = ingest_posts(source=source, result=result, log=log, now=now, validators=validators)
    except FetchFailed as exc:
        if str(exc).startswith("too large"):
            log.skip([Skipped("document", str(exc))])
        return _failed(source, run, str(exc), now)
    except Exception as exc:  # a database or programming fault: logged whole, the connector goes on
        logger.exception("feeds: %s (source %s) run %s failed", source.name, source.pk, run.pk)
        return _failed(source, run, f"{type(exc).__name__}: {exc}", now)
    _succeeded(source, now)
    return _finish(run, IngestRun.Outcome.OK if whole else IngestRun.Outcome.PARTIAL)


class PushRefused(ValueError):
    """A pushed body that is not usable at all; nothing of it was stored."""


def feed_push(*, source: FeedSource, body: bytes, now: datetime | None = None) -> IngestRun:
    """Store a webhook push (JSON-lines, or a JSON array of items) through the same path as a fetch.
    PushRefused for a body that is not usable at all (the run is logged as failed)."""
    now = now or timezone.now()
    run = _start(source, now, pushed=True)
    log = _Log(run)
    data = body
    if body.lstrip()[:1] == b"[":
        try:
            items = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            _finish(run, IngestRun.Outcome.FAILED, f"not valid JSON: {exc}")
            raise PushRefused(f"not valid JSON: {exc}") from None
        data = b"\n".join(json.dumps(item, ensure_ascii=False).encode() for item in items)
    try:
        result = parse(source, data)
    except (FeedError, ValueError) as exc:
        log.skip([Skipped("document", str(exc))])
        _finish(run, IngestRun.Outcome.FAILED, str(exc))
        raise PushRefused(str(exc)) from None
    try:
        whole = ingest_posts(source=source, result=result, log=log, now=now)
    except Exception as exc:
        logger.exception("feeds: push to %s (source %s) failed", source.name, source.pk)
        return _finish(run, IngestRun.Outcome.FAILED, f"{type(exc).__name__}: {exc}")
    FeedSource.objects.filter(pk=source.pk).update(last_success_at=now)
    return _finish(run, IngestRun.Outcome.OK if whole else IngestRun.Outcome.PARTIAL)


def sources_due(*, now: datetime) -> list[FeedSource]:
    """Active, not paused, pulled sources whose schedule has come."""
    candidates = FeedSource.objects.filter(active=True).exclude(health=Health.PAUSED).exclude(kind=SourceKind.WEBHOOK)
    return [
        s
        for s in candidates.filter(Q(last_fetch_at__isnull=True) | Q(last_fetch_at__lte=now))
        if s.last_fetch_at is None or now - s.last_fetch_at >= timedelta(minutes=s.schedule_minutes)
    ]


def feeds_due_run(now: datetime | None = None) -> list[IngestRun]:
    """Run every due source, one after another (`streetlight tick`)."""
    now = now or timezone.now()
    return [feed_fetch(source=source, now=now) for source in sources_due(now=now)]
