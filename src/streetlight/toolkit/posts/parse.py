"""Connectors' parsers: RSS/Atom, Mastodon statuses, JSON-lines and CSV exports → `ParseResult`.

Every parser follows one rule: a bad item is skipped with a reason (`Skipped`), a bad document raises
`FeedError` with one; nothing else escapes. Nothing is fetched: parsers take the bytes a connector
downloaded, so they are testable and never touch the network (feedparser is given bytes, not a URL).
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from .model import (
    DateError,
    FeedError,
    ParseResult,
    RawPost,
    Skipped,
    check_size,
    clip,
    html_to_text,
    language_hint,
    lat_lon,
    parse_when,
    stable_id,
    web_url,
)

#: Our field → the export's key, for JSON-lines and CSV.
DEFAULT_MAPPING: Mapping[str, str] = {
    name: name for name in ("id", "text", "published", "author", "url", "language", "lat", "lon")
}


def _join(title: str, body: str) -> str:
    """An RSS item's title and body as one text, without saying the same thing twice."""
    if not title or body.startswith(title):
        return body or title
    if not body or title.startswith(body):
        return title
    return f"{title}{'' if title[-1] in '.!?:…' else '.'} {body}"


def _struct_time(value: Any) -> datetime | None:
    if isinstance(value, time.struct_time):
        try:
            return datetime(*value[:6], tzinfo=UTC)
        except ValueError:
            return None
    return None


# -- RSS and Atom --------------------------------------------------------------------------------


def parse_rss(data: bytes) -> ParseResult:
    """RSS 0.9x/1.0/2.0 and Atom through feedparser, which also recovers from the small errors real
    feeds have (an undefined `&nbsp;`). A document with no feed version at all is not a feed."""
    check_size(data)
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if not parsed.get("version"):
        exc = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS or Atom feed{f': {exc}' if exc else ''}")
    feed_language = language_hint(parsed.feed.get("language"))
    posts: list[RawPost] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for number, entry in enumerate(parsed.entries, start=1):
        position = f"entry {number}"
        try:
            item = _rss_entry(entry, feed_language)
        except (DateError, ValueError) as exc:
            skipped.append(Skipped(position, str(exc)))
            continue
        if item.item_id in seen:
            skipped.append(Skipped(position, f"duplicate of an earlier entry with id {item.item_id!r}"))
            continue
        seen.add(item.item_id)
        posts.append(item)
    return ParseResult(posts, skipped)


def _rss_entry(entry: dict[str, Any], feed_language: str | None) -> RawPost:
    item_id = str(entry.get("id") or entry.get("link") or "").strip()
    if not item_id:
        raise ValueError("no id (neither guid/id nor link)")
    contents = entry.get("content") or []
    body_html = contents[0].get("value", "") if contents else entry.get("summary", "")
    text = clip(_join(html_to_text(str(entry.get("title") or "")), html_to_text(str(body_html or ""))))
    if not text:
        raise ValueError("no text")
    # dict.get: feedparser's own get() maps "updated" to "published" with a deprecation warning.
    published = _struct_time(dict.get(entry, "published_parsed")) or _struct_time(dict.get(entry, "updated_parsed"))
    raw_date = dict.get(entry, "published") or dict.get(entry, "updated")
    if published is None and raw_date:
        published = parse_when(raw_date)  # feedparser missed it; ours raises DateError with the value
    detail = (contents[0] if contents else None) or entry.get("summary_detail") or entry.get("title_detail") or {}
    lat, lon = _rss_point(entry)
    return RawPost(
        item_id=stable_id(item_id),
        text=text,
        published=published,
        author=str(entry.get("author") or "").strip(),
        url=web_url(entry.get("link")),
        language=language_hint(detail.get("language")) or feed_language,
        lat=lat,
        lon=lon,
    )


def _rss_point(entry: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """GeoRSS (`where`, a GeoJSON-like point) or W3C geo (`geo:lat`, `geo:long`)."""
    where = entry.get("where")
    if isinstance(where, Mapping) and where.get("type") == "Point":
        coords: Any = where.get("coordinates") or ()
        if len(coords) >= 2:
            return lat_lon(coords[1], coords[0])
    return lat_lon(entry.get("geo_lat"), entry.get("geo_long"))


# -- Mastodon ------------------------------------------------------------------------------------


def _json(data: bytes) -> Any:
    check_size(data)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FeedError(f"not UTF-8 text: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise FeedError("not usable JSON: nested too deeply") from None


def parse_mastodon(data: bytes) -> ParseResult:
    """A JSON array of Mastodon statuses (public or hashtag timeline). A reblog stands for the
    status it reblogs (its id, text and author), so a post boosted five times is one post; only
    public and unlisted statuses are kept."""
    statuses = _json(data)
    if not isinstance(statuses, list):
        raise FeedError("not a Mastodon timeline: expected a JSON array of statuses")
    posts: list[RawPost] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for number, status in enumerate(statuses, start=1):
        position = f"status {number}"
        if not isinstance(status, dict):
            skipped.append(Skipped(position, "not a JSON object"))
            continue
        original = status.get("reblog")
        reblog = isinstance(original, dict)
        if reblog:
            status = original
        try:
            post = _status(status)
        except (DateError, ValueError) as exc:
            skipped.append(Skipped(position, str(exc)))
            continue
        if post.item_id in seen:
            what = "a reblog of" if reblog else "a duplicate of"
            skipped.append(Skipped(position, f"{what} status {post.item_id} already in this document"))
            continue
        seen.add(post.item_id)
        posts.append(post)
    return ParseResult(posts, skipped)


def _status(status: Mapping[str, Any]) -> RawPost:
    status_id = status.get("id")
    if isinstance(status_id, bool) or not isinstance(status_id, (str, int)) or not str(status_id).strip():
        raise ValueError("no id")
    visibility = status.get("visibility", "public")
    if visibility not in ("public", "unlisted", None):
        raise ValueError(f"not public (visibility {visibility!r})")
    warning = html_to_text(str(status.get("spoiler_text") or ""))
    content = html_to_text(str(status.get("content") or ""))
    text = clip(f"{warning} {content}".strip())
    if not text:
        raise ValueError("no text")
    account = status.get("account")
    author = account.get("acct") or account.get("username") if isinstance(account, dict) else None
    return RawPost(
        item_id=stable_id(str(status_id)),
        text=text,
        published=parse_when(status.get("created_at")),
        author=str(author or "").strip(),
        url=web_url(status.get("url")) or web_url(status.get("uri")),
        language=language_hint(status.get("language")),
    )


# -- JSON-lines and CSV --------------------------------------------------------------------------


def _row_post(row: Mapping[str, Any], mapping: Mapping[str, str]) -> RawPost:
    """A row of an export, through the field mapping; raises ValueError/DateError with the reason."""
    raw_id = row.get(mapping["id"])
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        raise ValueError(f"no id (key {mapping['id']!r})")
    raw_text = row.get(mapping["text"])
    text = clip(html_to_text(raw_text)) if isinstance(raw_text, str) else ""
    if not text:
        raise ValueError(f"no text (key {mapping['text']!r})")
    author = row.get(mapping["author"])
    lat, lon = lat_lon(row.get(mapping["lat"]), row.get(mapping["lon"]))
    return RawPost(
        item_id=stable_id(str(raw_id)),
        text=text,
        published=parse_when(row.get(mapping["published"])),
        author="" if author is None or isinstance(author, (dict, list)) else str(author).strip(),
        url=web_url(row.get(mapping["url"])),
        language=language_hint(row.get(mapping["language"])),
        lat=lat,
        lon=lon,
    )


def _mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(DEFAULT_MAPPING)
    for field, key in (mapping or {}).items():
        if field not in DEFAULT_MAPPING:
            raise ValueError(f"unknown field {field!r} in the mapping; fields are {', '.join(DEFAULT_MAPPING)}")
        merged[field] = key
    return merged


def _collect(rows: Iterable[tuple[str, Mapping[str, Any] | str]], mapping: dict[str, str]) -> ParseResult:
    """Rows (or, as a str, the reason a row could not be read) → posts and skipped items."""
    posts: list[RawPost] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for position, row in rows:
        if isinstance(row, str):
            skipped.append(Skipped(position, row))
            continue
        try:
            post = _row_post(row, mapping)
        except (DateError, ValueError) as exc:
            skipped.append(Skipped(position, str(exc)))
            continue
        if post.item_id in seen:
            skipped.append(Skipped(position, f"duplicate id {post.item_id!r}"))
            continue
        seen.add(post.item_id)
        posts.append(post)
    return ParseResult(posts, skipped)


def _text(data: bytes) -> str:
    check_size(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"not UTF-8 text: {exc.reason}") from None


def parse_jsonl(data: bytes, mapping: Mapping[str, str] | None = None) -> ParseResult:
    """One JSON object per line. A bad line is skipped; a document where no line is a JSON object
    (a CSV, an HTML error page) is not JSON-lines at all."""
    fields = _mapping(mapping)
    rows: list[tuple[str, Mapping[str, Any] | str]] = []
    objects = 0
    for number, line in enumerate(_text(data).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((f"line {number}", f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        except RecursionError:
            rows.append((f"line {number}", "not usable JSON: nested too deeply"))
            continue
        if isinstance(obj, dict):
            objects += 1
            rows.append((f"line {number}", obj))
        else:
            rows.append((f"line {number}", "not a JSON object"))
    if rows and not objects:
        raise FeedError(f"not JSON-lines: no line is a JSON object ({rows[0][0]}: {rows[0][1]})")
    return _collect(rows, fields)


def parse_csv(data: bytes, mapping: Mapping[str, str] | None = None) -> ParseResult:
    """CSV with a header row naming the columns. Not the toolkit's RowReader: that one stops a whole
    file at its first bad row, where a connector must skip the row and go on."""
    fields = _mapping(mapping)
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FeedError(f"not valid CSV: {exc}") from None
    if not header:
        return ParseResult([], [])
    header = [name.strip() for name in header]
    for field in ("id", "text"):
        if fields[field] not in header:
            raise FeedError(f"no {fields[field]!r} column in the header (columns: {', '.join(header)[:200]})")
    return _collect(_csv_rows(reader, header), fields)


def _csv_rows(reader: Any, header: list[str]) -> Iterator[tuple[str, Mapping[str, Any] | str]]:
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield f"line {reader.line_num}", f"not valid CSV: {exc}"
            continue
        position = f"line {reader.line_num}"
        if not record or not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            yield position, f"{len(record)} fields, but the header has {len(header)}"
            continue
        yield position, dict(zip(header, [*record, *[""] * (len(header) - len(record))], strict=True))
