"""Downloading a source: a conditional GET with a size cap, streamed so a giant answer costs at most
MAX_FEED_BYTES of memory, and the reading of `file:` exports for the demo. No parsing here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from streetlight.toolkit.posts import MAX_FEED_BYTES

from . import conf
from .models import FeedSource, SourceKind

USER_AGENT = "Streetlight feeds (+https://streetlight.example.org/docs/feeds)"
MASTODON_LIMIT = 40  # the largest page Mastodon serves


class FetchFailed(Exception):
    """The source could not be read (network, HTTP status, too large); str() says why."""


@dataclass(frozen=True)
class Fetched:
    data: bytes | None  # None: not modified since the cursor's validators
    etag: str = ""
    last_modified: str = ""


def _request(source: FeedSource) -> tuple[str, dict[str, str], dict[str, Any]]:
    cursor = source.cursor or {}
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    params: dict[str, Any] = {}
    if source.kind == SourceKind.MASTODON:
        headers["Accept"] = "application/json"
        params["limit"] = MASTODON_LIMIT
        if cursor.get("since_id"):
            # min_id pages forward without a gap when more than a page arrived; since_id for servers
            # (and Mastodon-compatible ones) that know only it.
            params["since_id"] = params["min_id"] = cursor["since_id"]
    else:
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = cursor["last_modified"]
    return source.url, headers, params


def _read_file(name: str) -> Fetched:
    root = conf.file_root().resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise FetchFailed(f"file:{name} is outside {root}")
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise FetchFailed(f"too large: {size:,} bytes, more than the {MAX_FEED_BYTES:,}-byte limit")
        return Fetched(path.read_bytes())
    except OSError as exc:
        raise FetchFailed(f"cannot read file:{name}: {exc.strerror or exc}") from exc


def source_fetch(source: FeedSource) -> Fetched:
    """The source's bytes, or Fetched(None) on 304; FetchFailed with the reason otherwise."""
    if source.url.startswith("file:"):
        return _read_file(source.url.removeprefix("file:").lstrip("/"))
    url, headers, params = _request(source)
    if not url.lower().startswith(("http://", "https://")):
        raise FetchFailed(f"not an http(s) address: {url[:100]!r}")
    timeout = httpx.Timeout(float(conf.value("TIMEOUT_SECONDS")))
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=3) as client,
            client.stream("GET", url, headers=headers, params=params) as response,
        ):
            if response.status_code == 304:
                return Fetched(None)
            if response.status_code >= 400:
                raise FetchFailed(f"HTTP {response.status_code} from the source")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_FEED_BYTES:
                raise FetchFailed(f"too large: {int(declared):,} bytes announced, limit {MAX_FEED_BYTES:,}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_FEED_BYTES:
                    raise FetchFailed(f"too large: more than the {MAX_FEED_BYTES:,}-byte limit")
                chunks.append(chunk)
            return Fetched(
                b"".join(chunks),
                etag=response.headers.get("etag", ""),
                last_modified=response.headers.get("last-modified", ""),
            )
    except httpx.HTTPError as exc:
        raise FetchFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
