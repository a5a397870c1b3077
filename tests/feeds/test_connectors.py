"""Each connector fed from a real local HTTP server: new posts stored once, cursors and conditional
GETs honoured, bad input skipped with a logged reason and never a crashed connector."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from streetlight.feeds.ingest import feed_fetch, feeds_due_run
from streetlight.feeds.models import FeedSource, Health, IngestRun, Post
from streetlight.toolkit.posts import MAX_FEED_BYTES

from .conftest import EVERYDAY, UNSAFE_TEXTS, FeedServer, make_source, mastodon_timeline, rss, status

pytestmark = pytest.mark.django_db


def test_rss_is_stored_then_a_304_brings_nothing_new(feed_server: FeedServer) -> None:
    url = feed_server.put(
        "/feed.xml",
        body=rss([("a1", UNSAFE_TEXTS[0]), ("a2", EVERYDAY)]),
        etag='"v1"',
        content_type="application/rss+xml",
    )
    source = make_source("rss", url)
    first = feed_fetch(source=source)
    assert (first.outcome, first.fetched, first.new) == ("ok", 2, 2)
    relevant = Post.objects.get(source=source, item_id="a1")
    assert relevant.relevant and relevant.text == UNSAFE_TEXTS[0]
    assert (relevant.place, relevant.area_code) == ("Piazza dei Tigli", "D01")
    stub = Post.objects.get(source=source, item_id="a2")
    assert not stub.relevant and stub.text == "" and stub.author_pseudonym == ""
    second = feed_fetch(source=source)
    assert feed_server.requests[-1]["headers"]["If-None-Match"] == '"v1"'
    assert (second.outcome, second.new) == ("not_modified", 0)
    assert Post.objects.filter(source=source).count() == 2


def test_rss_without_validators_counts_duplicates(feed_server: FeedServer) -> None:
    url = feed_server.put("/feed.xml", body=rss([("a1", UNSAFE_TEXTS[0])]))
    source = make_source("rss", url)
    feed_fetch(source=source)
    feed_server.put("/feed.xml", body=rss([("a1", UNSAFE_TEXTS[0]), ("a2", UNSAFE_TEXTS[1])]))
    run = feed_fetch(source=source)
    assert (run.new, run.duplicates) == (1, 1)
    assert sorted(Post.objects.filter(source=source).values_list("item_id", flat=True)) == ["a1", "a2"]


def test_mastodon_asks_since_the_newest_status_it_has(feed_server: FeedServer) -> None:
    statuses = [status(101, UNSAFE_TEXTS[0]), status(102, EVERYDAY), status(103, UNSAFE_TEXTS[1])]
    url = feed_server.put("/api/v1/timelines/tag/portavera", handler=mastodon_timeline(statuses))
    source = make_source("mastodon", url)
    assert feed_fetch(source=source).new == 3
    source.refresh_from_db()
    assert source.cursor["since_id"] == "103"
    statuses.append(status(104, UNSAFE_TEXTS[2]))
    run = feed_fetch(source=source)
    assert feed_server.requests[-1]["query"]["since_id"] == ["103"]
    assert (run.fetched, run.new, run.duplicates) == (1, 1, 0)
    assert Post.objects.filter(source=source).count() == 4


def test_csv_and_json_lines_exports_with_a_mapping(feed_server: FeedServer) -> None:
    csv_body = f'ref,message,when\nc1,"{UNSAFE_TEXTS[0]}",2026-01-05T21:00:00Z\nc2,"{EVERYDAY}",\n'.encode()
    csv_source = make_source(
        "csv",
        feed_server.put("/export.csv", body=csv_body),
        mapping={"id": "ref", "text": "message", "published": "when"},
    )
    jsonl_body = "\n".join(json.dumps({"id": f"j{i}", "text": t}) for i, t in enumerate(UNSAFE_TEXTS[:2])).encode()
    jsonl_source = make_source("jsonl", feed_server.put("/export.jsonl", body=jsonl_body))
    assert feed_fetch(source=csv_source).new == 2
    assert feed_fetch(source=jsonl_source).new == 2
    assert Post.objects.get(source=csv_source, item_id="c1").published_at.year == 2026
    assert Post.objects.filter(source=jsonl_source, relevant=True).count() == 2


def test_a_file_export_is_read_from_the_data_directory(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STREETLIGHT = {**settings.STREETLIGHT, "FEEDS": {"FILE_ROOT": str(tmp_path)}}
    (tmp_path / "group.jsonl").write_text(json.dumps({"id": "f1", "text": UNSAFE_TEXTS[0]}) + "\n")
    assert feed_fetch(source=make_source("jsonl", "file:group.jsonl")).new == 1
    outside = feed_fetch(source=make_source("jsonl", "file:../etc/passwd"))
    assert outside.outcome == "failed" and "outside" in outside.error


def test_bad_items_are_skipped_with_reasons_and_the_rest_is_stored(feed_server: FeedServer) -> None:
    body = rss(
        [
            ("h1", f"<p>{UNSAFE_TEXTS[0]}</p><script>alert('x')</script><img src=x onerror=alert(1)>"),
            ("u1", "zzkx qqv blorp wug frobnic"),
            ("", "an item without any id"),
        ],
        language=None,
    )
    source = make_source("rss", feed_server.put("/feed.xml", body=body))
    run = feed_fetch(source=source)
    assert run.outcome == "ok"
    html = Post.objects.get(source=source, item_id="h1")
    assert "script" not in html.text and "alert" not in html.text and "<" not in html.text
    reasons = " | ".join(item["reason"] for item in run.skipped_reasons)
    assert run.skipped == 2 and "language not recognised" in reasons and "no id" in reasons
    assert Post.objects.get(source=source, item_id="u1").skipped_reason  # kept as a stub: never read twice


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("rss", b"<html><body>Not a feed</body></html>"),
        ("mastodon", b"{not json"),
        ("mastodon", b'{"error": 1}'),
        ("csv", b"\xff\xfe\x00garbage"),
        ("jsonl", b"just some text\nand more"),
    ],
)
def test_a_malformed_document_fails_the_run_with_its_reason(feed_server: FeedServer, kind: str, body: bytes) -> None:
    source = make_source(kind, feed_server.put("/doc", body=body))
    run = feed_fetch(source=source)
    assert run.outcome == "failed" and run.error.startswith("unusable document")
    assert run.skipped_reasons[0]["position"] == "document"
    source.refresh_from_db()
    assert (source.health, source.failures) == (Health.FAILING, 1)


def test_a_giant_payload_is_skipped_whole_as_too_large(feed_server: FeedServer) -> None:
    source = make_source("jsonl", feed_server.put("/big", body=b"x" * (MAX_FEED_BYTES + 10)))
    run = feed_fetch(source=source)
    assert run.outcome == "failed" and run.skipped_reasons[0]["reason"].startswith("too large")
    assert not Post.objects.exists()


def test_n_failures_in_a_row_pause_the_source_and_a_success_resets(feed_server: FeedServer) -> None:
    source = make_source("rss", feed_server.put("/feed.xml", status=500, body=b"oops"))
    now = timezone.now()
    for i in range(5):
        assert feed_fetch(source=source, now=now + timedelta(minutes=i)).outcome == "failed"
    source.refresh_from_db()
    assert (source.health, source.failures) == (Health.PAUSED, 5) and "HTTP 500" in source.last_error
    assert feeds_due_run(now=now + timedelta(days=1)) == []  # a paused source is not fetched
    feed_server.put("/feed.xml", body=rss([("a1", UNSAFE_TEXTS[0])]))
    FeedSource.objects.filter(pk=source.pk).update(health=Health.FAILING)  # as the admin's "resume" does
    assert feed_fetch(source=source, now=now + timedelta(days=1)).outcome == "ok"
    source.refresh_from_db()
    assert (source.health, source.failures, source.last_error) == (Health.OK, 0, "")


def test_a_source_fetched_too_recently_is_skipped(feed_server: FeedServer) -> None:
    source = make_source(
        "rss", feed_server.put("/feed.xml", body=rss([("a1", UNSAFE_TEXTS[0])])), min_interval_seconds=300
    )
    now = timezone.now()
    assert feed_fetch(source=source, now=now).outcome == "ok"
    assert feed_fetch(source=source, now=now + timedelta(seconds=10)).outcome == "rate_limited"
    assert len(feed_server.requests) == 1


def test_the_schedule_decides_which_sources_are_due(feed_server: FeedServer) -> None:
    source = make_source("rss", feed_server.put("/feed.xml", body=rss([("a1", UNSAFE_TEXTS[0])])), schedule_minutes=30)
    now = timezone.now()
    assert [r.source_id for r in feeds_due_run(now=now)] == [source.pk]
    assert feeds_due_run(now=now + timedelta(minutes=10)) == []
    assert len(feeds_due_run(now=now + timedelta(minutes=31))) == 1


def test_max_posts_per_run_leaves_the_rest_for_the_next_run(feed_server: FeedServer) -> None:
    statuses = [status(200 + i, UNSAFE_TEXTS[i % 4]) for i in range(5)]
    source = make_source("mastodon", feed_server.put("/tl", handler=mastodon_timeline(statuses)), max_posts_per_run=3)
    first = feed_fetch(source=source)
    assert (first.outcome, first.new) == ("partial", 3)
    second = feed_fetch(source=source)
    assert (second.outcome, second.new) == ("ok", 2)
    assert sorted(Post.objects.values_list("item_id", flat=True)) == [str(200 + i) for i in range(5)]


def test_pseudonyms_are_stable_per_source_and_never_the_author(feed_server: FeedServer) -> None:
    statuses = [status(1, UNSAFE_TEXTS[0], author="Alice"), status(2, UNSAFE_TEXTS[1], author="@alice")]
    url = feed_server.put("/tl", handler=mastodon_timeline(statuses))
    one, two = make_source("mastodon", url), make_source("mastodon", url)
    feed_fetch(source=one)
    feed_fetch(source=two)
    a, b = (Post.objects.get(source=one, item_id=i).author_pseudonym for i in ("1", "2"))
    assert a == b and len(a) == 32 and "alice" not in a.lower()
    assert Post.objects.get(source=two, item_id="1").author_pseudonym != a  # another source, another pseudonym
    assert IngestRun.objects.filter(outcome="ok").count() == 2
