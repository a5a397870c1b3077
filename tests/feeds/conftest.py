"""A real HTTP server on 127.0.0.1 that serves what each test puts at a path (with ETag support, a
chosen status, or a connection cut mid-body) and records the requests it got; and helpers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from streetlight.feeds.models import FeedSource

# Relevant, English, about Piazza dei Tigli (gazetteer: area D01).
UNSAFE_TEXTS = [
    "I do not feel safe at Piazza dei Tigli, there was a fight and people shouting threats, scary at night",
    "Scared walking through Piazza dei Tigli, men harassing women again tonight",
    "Afraid to walk home past Piazza dei Tigli tonight, drunk men shouting and following people",
    "Feeling really unsafe at Piazza dei Tigli tonight, a group of men followed me and I was scared",
]
EVERYDAY = "Lovely sunny morning, having coffee with friends at the market"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    etag: str = ""
    cut_after: int | None = None  # close the connection after this many bytes of a longer body
    handler: Callable[[dict[str, list[str]]], bytes] | None = None  # body from the query string


@dataclass
class FeedServer:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def put(self, path: str, **kwargs: Any) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            state.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
            route = state.routes.get(parts.path)
            if route is None:
                self._answer(404, b"not found", "text/plain")
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = route.handler(query) if route.handler else route.body
            if route.cut_after is not None:
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: route.cut_after])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._answer(route.status, body, route.content_type, etag=route.etag)

        def _answer(self, status: int, body: bytes, content_type: str, etag: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def rss(items: list[tuple[str, str]], *, when: datetime | None = None, language: str | None = "en") -> bytes:
    """An RSS 2.0 document of (guid, description) items."""
    when = when or datetime.now(UTC) - timedelta(minutes=5)
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    entries = "".join(
        f"<item><guid>{guid}</guid><title></title><description><![CDATA[{text}]]></description>"
        f"<author>user{i}@example.org (User {i})</author><pubDate>{stamp}</pubDate></item>"
        for i, (guid, text) in enumerate(items)
    )
    channel_language = f"<language>{language}</language>" if language else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Neighbours</title>'
        f"<link>http://example.org/</link><description>x</description>{channel_language}{entries}"
        "</channel></rss>"
    ).encode()


def status(status_id: int, text: str, *, author: str = "alice", when: datetime | None = None) -> dict[str, Any]:
    when = when or datetime.now(UTC) - timedelta(minutes=5)
    return {
        "id": str(status_id),
        "created_at": when.isoformat().replace("+00:00", "Z"),
        "content": f"<p>{text}</p>",
        "visibility": "public",
        "language": "en",
        "url": f"https://social.example.org/@{author}/{status_id}",
        "account": {"acct": author, "username": author},
    }


def mastodon_timeline(statuses: list[dict[str, Any]]) -> Callable[[dict[str, list[str]]], bytes]:
    """Answers like Mastodon: newest first, only statuses newer than since_id/min_id."""

    def answer(query: dict[str, list[str]]) -> bytes:
        since = int((query.get("min_id") or query.get("since_id") or ["0"])[0])
        newer = [s for s in statuses if int(s["id"]) > since]
        return json.dumps(sorted(newer, key=lambda s: -int(s["id"]))).encode()

    return answer


def make_source(kind: str, url: str = "", **kwargs: Any) -> FeedSource:
    defaults: dict[str, Any] = {"min_interval_seconds": 0, "schedule_minutes": 15}
    return FeedSource.objects.create(
        name=f"{kind} {FeedSource.objects.count() + 1}", kind=kind, url=url, **{**defaults, **kwargs}
    )
