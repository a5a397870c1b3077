"""A crash mid-feed, with real faults: the database refusing the third batch (a trigger, as a full
disk or a killed connection would), and the server cutting the connection mid-body. Fetching again
stores every post exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from streetlight.feeds.ingest import feed_fetch
from streetlight.feeds.models import FeedSource, Post

from .conftest import UNSAFE_TEXTS, FeedServer, make_source, mastodon_timeline, rss, status

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_batches(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STREETLIGHT = {**settings.STREETLIGHT, "FEEDS": {"BATCH": 2}}


@pytest.fixture
def refuse_item() -> Iterator[None]:
    """Until the test drops it, the database refuses to store the post with item_id "5"."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION feeds_test_refuse() RETURNS trigger AS $$ BEGIN "
                "IF NEW.item_id = '5' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER feeds_test_refuse BEFORE INSERT ON feeds_post "
                "FOR EACH ROW EXECUTE FUNCTION feeds_test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER feeds_test_refuse BEFORE INSERT ON feeds_post WHEN NEW.item_id = '5' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
    yield


def _drop_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER feeds_test_refuse ON feeds_post")
            cursor.execute("DROP FUNCTION feeds_test_refuse()")
        else:
            cursor.execute("DROP TRIGGER feeds_test_refuse")


def _stored(source: FeedSource) -> list[str]:
    return sorted(Post.objects.filter(source=source).values_list("item_id", flat=True), key=int)


def test_mastodon_crash_after_two_batches_then_restart(
    feed_server: FeedServer, small_batches: None, refuse_item: None
) -> None:
    statuses = [status(i, UNSAFE_TEXTS[i % 4]) for i in range(1, 8)]
    source = make_source("mastodon", feed_server.put("/tl", handler=mastodon_timeline(statuses)))
    crashed = feed_fetch(source=source)
    assert crashed.outcome == "failed" and "disk full" in crashed.error
    assert _stored(source) == ["1", "2", "3", "4"]  # two whole batches, with their cursor
    source.refresh_from_db()
    assert source.cursor["since_id"] == "4"
    _drop_trigger()
    again = feed_fetch(source=source)
    assert feed_server.requests[-1]["query"]["since_id"] == ["4"]
    assert (again.outcome, again.new, again.duplicates) == ("ok", 3, 0)
    assert _stored(source) == [str(i) for i in range(1, 8)]


def test_rss_crash_keeps_no_validator_so_the_restart_reads_the_feed_again(
    feed_server: FeedServer, small_batches: None, refuse_item: None
) -> None:
    url = feed_server.put("/feed.xml", body=rss([(str(i), UNSAFE_TEXTS[i % 4]) for i in range(1, 8)]), etag='"e1"')
    source = make_source("rss", url)
    assert feed_fetch(source=source).outcome == "failed"
    source.refresh_from_db()
    assert "etag" not in source.cursor  # else the restart would get a 304 over unstored posts
    _drop_trigger()
    again = feed_fetch(source=source)
    assert (again.outcome, again.new, again.duplicates) == ("ok", 3, 4)
    assert _stored(source) == [str(i) for i in range(1, 8)]
    source.refresh_from_db()
    assert source.cursor["etag"] == '"e1"'
    assert feed_fetch(source=source).outcome == "not_modified"


def test_a_connection_cut_mid_body_stores_nothing_and_the_next_fetch_everything(feed_server: FeedServer) -> None:
    body = rss([(str(i), UNSAFE_TEXTS[i % 4]) for i in range(1, 5)])
    source = make_source("rss", feed_server.put("/feed.xml", body=body, cut_after=len(body) // 2))
    cut = feed_fetch(source=source)
    assert cut.outcome == "failed" and cut.error
    assert not Post.objects.filter(source=source).exists()
    feed_server.put("/feed.xml", body=body)
    assert feed_fetch(source=source).new == 4
    assert _stored(source) == ["1", "2", "3", "4"]
