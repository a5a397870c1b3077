"""What a connector hands on: `RawPost`s, the items it `Skipped` (with why), and `FeedError` for a
document that is unusable as a whole. Also the small cleaning helpers every format shares, so an RSS
summary, a Mastodon status and a CSV cell come out as the same kind of plain text."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

#: A document larger than this is refused whole, before any parsing (a feed is kilobytes; a giant
#: payload is a mistake or an attack, and parsers' memory grows with it).
MAX_FEED_BYTES = 5 * 1024 * 1024
#: Longer texts are kept, cut to this many characters (at a word boundary when there is one).
MAX_POST_CHARS = 5000
#: Longer ids are replaced by "sha256:" and their hash, so they stay stable and fit a column.
MAX_ID_CHARS = 200


@dataclass(frozen=True)
class RawPost:
    """One post as a source gave it, cleaned to plain text; nothing about it is inferred yet."""

    item_id: str
    text: str
    published: datetime | None
    author: str = ""
    url: str | None = None
    language: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready row (the CLI's output): the time in ISO 8601 with its offset."""
        return {
            "item_id": self.item_id,
            "text": self.text,
            "published": self.published.isoformat() if self.published else None,
            "author": self.author,
            "url": self.url,
            "language": self.language,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass(frozen=True)
class Skipped:
    """An item left out, and where and why, so a connector's log explains every missing post."""

    position: str
    reason: str


@dataclass(frozen=True)
class ParseResult:
    posts: list[RawPost]
    skipped: list[Skipped]


class FeedError(ValueError):
    """The whole document is unusable (too large, not XML/JSON at all, not a feed); str() says why."""


def check_size(data: bytes) -> None:
    """Refuse a giant payload before a parser allocates anything for it."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the document is {len(data):,} bytes, more than the {MAX_FEED_BYTES:,}-byte limit")


# -- text ----------------------------------------------------------------------------------------

_DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head", "title"})
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_SPACE = re.compile(r"\s+")
# C0/C1 controls other than whitespace, and lone surrogates: they break JSON, XML and terminals.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class _TextExtractor(HTMLParser):
    """Keeps text, drops the contents of <script>, <style> and the like, decodes entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text from HTML or plain text: tags and scripts gone, entities decoded, whitespace
    collapsed, control characters removed. Plain text without '<' or '&' takes a fast path."""
    if "<" in value or "&" in value:
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    value = _CONTROLS.sub("", value)
    return _SPACE.sub(" ", value).strip()


def clip(text: str) -> str:
    """Cut a text longer than MAX_POST_CHARS, at the last space in its final 200 characters if any."""
    if len(text) <= MAX_POST_CHARS:
        return text
    cut = text[:MAX_POST_CHARS]
    space = cut.rfind(" ", MAX_POST_CHARS - 200)
    return (cut[:space] if space > 0 else cut).rstrip()


def stable_id(value: str) -> str:
    value = value.strip()
    if len(value) <= MAX_ID_CHARS:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def language_hint(value: Any) -> str | None:
    """The primary subtag, lowercased ("pt-BR" → "pt"); kept even when we do not know it."""
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return primary[:16] if primary else None


def web_url(value: Any) -> str | None:
    """http(s) URLs only: a `javascript:` or `data:` link from a feed must never reach a page."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if re.match(r"(?i)https?://\S+$", value) and len(value) <= 2000 else None


def coordinate(value: Any, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (180) from a number or a numeric string, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, AttributeError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def lat_lon(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """Both valid or neither: half a position is no position."""
    a, b = coordinate(lat, 90.0), coordinate(lon, 180.0)
    return (a, b) if a is not None and b is not None else (None, None)


class DateError(ValueError):
    pass


def parse_when(value: Any) -> datetime | None:
    """An aware UTC time from ISO 8601 (with `Z`; a date alone is midnight), RFC 2822, or Unix
    seconds (milliseconds when larger than 10¹¹). A time without an offset is taken as UTC: exports
    that drop the offset almost always write UTC. None for no value; DateError when not understood."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise DateError(f"date not understood: {value!r}")
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        value = float(value)
    if isinstance(value, (int, float)):
        seconds = float(value) / (1000.0 if abs(value) > 1e11 else 1.0)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise DateError(f"date not understood: {value!r}") from None
    if not isinstance(value, str):
        raise DateError(f"date not understood: a {type(value).__name__}")
    text = value.strip()
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            when = None
    if when is None:
        raise DateError(f"date not understood: {text[:60]!r}")
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def normalise_author(author: str) -> str:
    """The same person written `@Alice`, `alice ` or `ＡＬＩＣＥ` is one author."""
    return unicodedata.normalize("NFKC", author).strip().lstrip("@").casefold()
