"""The webhook push source through the real Django stack: signed, replay-protected, size-capped."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from streetlight.feeds.models import FeedSource, IngestRun, Post
from streetlight.notify.signing import sign
from streetlight.toolkit.posts import MAX_FEED_BYTES

from .conftest import EVERYDAY, UNSAFE_TEXTS, make_source

pytestmark = pytest.mark.django_db
SECRET = "a-shared-push-secret"


@pytest.fixture
def source() -> FeedSource:
    return make_source("webhook", webhook_secret=SECRET, mapping={"text": "body"})


def _push(client: Client, source: FeedSource, body: bytes, *, secret: str = SECRET, at: int | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/feeds/{source.pk}/push",
        data=body,
        content_type="application/x-ndjson",
        headers={"Streetlight-Signature": sign(secret, body, at)},
    )


def test_a_signed_push_of_json_lines_is_stored(client: Client, source: FeedSource) -> None:
    body = b"\n".join(
        json.dumps({"id": f"p{i}", "body": t}).encode() for i, t in enumerate([*UNSAFE_TEXTS[:2], EVERYDAY])
    )
    resp = _push(client, source, body)
    assert resp.status_code == 202
    assert (resp.json()["new"], resp.json()["received"]) == (3, 3)
    assert Post.objects.filter(source=source, relevant=True).count() == 2
    again = _push(client, source, body)  # a retried push doubles nothing
    assert (again.status_code, again.json()["new"], again.json()["duplicates"]) == (202, 0, 3)


def test_a_json_array_is_accepted_and_bad_items_skipped(client: Client, source: FeedSource) -> None:
    body = json.dumps([{"id": "a", "body": UNSAFE_TEXTS[0]}, {"body": "no id"}, 42]).encode()
    resp = _push(client, source, body)
    assert resp.status_code == 202
    assert (resp.json()["new"], resp.json()["skipped"]) == (1, 2)


def test_a_wrong_signature_is_refused(client: Client, source: FeedSource) -> None:
    body = json.dumps({"id": "x", "body": UNSAFE_TEXTS[0]}).encode()
    assert _push(client, source, body, secret="not-the-secret").status_code == 401
    unsigned = client.post(f"/feeds/{source.pk}/push", data=body, content_type="application/json")
    assert unsigned.status_code == 401
    assert not Post.objects.exists()


def test_an_old_timestamp_is_refused_as_a_replay(client: Client, source: FeedSource) -> None:
    body = json.dumps({"id": "x", "body": UNSAFE_TEXTS[0]}).encode()
    assert _push(client, source, body, at=int(time.time()) - 3600).status_code == 401
    assert not Post.objects.exists()


def test_a_giant_body_is_refused_before_parsing(client: Client, source: FeedSource) -> None:
    assert _push(client, source, b"x" * (MAX_FEED_BYTES + 1)).status_code == 413
    assert not IngestRun.objects.exists()


@pytest.mark.parametrize("body", [b"{not json at all", b"[1, 2", b"<html>oops</html>"])
def test_a_malformed_body_is_a_400_with_its_reason_and_nothing_stored(
    client: Client, source: FeedSource, body: bytes
) -> None:
    resp = _push(client, source, body)
    assert resp.status_code == 400 and resp.json()["detail"]
    assert not Post.objects.exists()
    assert IngestRun.objects.get().outcome == "failed"


def test_unknown_inactive_or_pulled_sources_are_404(client: Client, source: FeedSource) -> None:
    body = b"{}"
    rss = make_source("rss", "http://127.0.0.1:9/feed.xml", webhook_secret=SECRET)
    assert _push(client, rss, body).status_code == 404
    FeedSource.objects.filter(pk=source.pk).update(active=False)
    assert _push(client, source, body).status_code == 404
    assert client.post("/feeds/999999/push", data=body, content_type="application/json").status_code == 404
    assert client.get(f"/feeds/{source.pk}/push").status_code == 405
