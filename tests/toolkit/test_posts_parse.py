"""The feed parsers: every format, bad items skipped with a reason, bad documents refused whole."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.posts import (
    MAX_FEED_BYTES,
    MAX_POST_CHARS,
    FeedError,
    RawPost,
    html_to_text,
    parse_csv,
    parse_jsonl,
    parse_mastodon,
    parse_rss,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#">
<channel><title>Quartiere</title><language>IT-it</language>
<item><guid>a1</guid><title>Furto in via Roma</title>
  <description>&lt;p&gt;Bici rubata&lt;script&gt;alert('x')&lt;/script&gt; stanotte&lt;/p&gt;</description>
  <pubDate>Tue, 05 May 2026 22:10:00 +0200</pubDate><author>anna@example.org</author>
  <link>https://example.org/a1</link><geo:lat>45.08</geo:lat><geo:long>7.67</geo:long></item>
<item><guid>a2</guid><title></title><description></description></item>
<item><title>No id, no link</title></item>
<item><guid>a4</guid><title>Bad date</title><pubDate>yesterday-ish</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-BE"><title>Voisins</title>
<entry><id>urn:uuid:1</id><title>Vol rue du March\xc3\xa9</title><updated>2026-05-05T20:00:00Z</updated>
<content type="html">&lt;b&gt;Encore&lt;/b&gt; un v\xc3\xa9lo</content><author><name>Luc</name></author>
<link href="javascript:alert(1)"/></entry>
</feed>"""


def test_rss_items_with_text_date_author_language_and_position() -> None:
    result = parse_rss(RSS)
    [post] = result.posts
    assert post.item_id == "a1"
    assert post.text == "Furto in via Roma. Bici rubata stanotte"
    assert post.published == datetime(2026, 5, 5, 20, 10, tzinfo=UTC)
    assert post.url == "https://example.org/a1"
    assert post.language == "it"
    assert (post.lat, post.lon) == (45.08, 7.67)
    assert "anna" in post.author


def test_rss_bad_items_are_skipped_with_their_reason() -> None:
    reasons = {s.position: s.reason for s in parse_rss(RSS).skipped}
    assert reasons["entry 2"] == "no text"
    assert reasons["entry 3"].startswith("no id")
    assert reasons["entry 4"].startswith("date not understood")


def test_atom_entry_language_from_xml_lang_and_unsafe_link_dropped() -> None:
    [post] = parse_atom_posts()
    assert post.item_id == "urn:uuid:1"
    assert post.text == "Vol rue du Marché. Encore un vélo"
    assert post.language == "fr"
    assert post.url is None  # a javascript: link never reaches a page
    assert post.published == datetime(2026, 5, 5, 20, 0, tzinfo=UTC)
    assert post.author == "Luc"


def parse_atom_posts() -> list[RawPost]:
    return parse_rss(ATOM).posts


@pytest.mark.parametrize("data", [b"this is not xml {", b"<html><body>a page</body></html>", b"", b"{}"])
def test_a_document_that_is_not_a_feed_is_refused(data: bytes) -> None:
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_rss(data)


@pytest.mark.parametrize("parser", [parse_rss, parse_mastodon, parse_jsonl, parse_csv])
def test_a_giant_payload_is_refused_before_parsing(parser) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FeedError, match="limit"):
        parser(b" " * (MAX_FEED_BYTES + 1))


def test_html_script_and_style_contents_are_dropped_and_entities_decoded() -> None:
    html = "<p>Help&nbsp;<b>now</b></p><script>steal()</script><style>p{}</style>&lt;3 caf&eacute;<br>ok"
    assert html_to_text(html) == "Help now <3 café ok"
    assert html_to_text("unclosed <script>evil() and more") == "unclosed"
    assert html_to_text("a < b and c > d") == "a < b and c > d"


def status(sid: str, content: str, **extra: object) -> dict[str, object]:
    return {
        "id": sid,
        "created_at": "2026-05-05T21:30:00.000Z",
        "content": content,
        "language": "NL",
        "account": {"acct": "jan@mastodon.example"},
        "url": f"https://mastodon.example/@jan/{sid}",
        "visibility": "public",
        **extra,
    }


def test_mastodon_statuses_and_reblogs_counted_once() -> None:
    original = status("100", "<p>Fiets gestolen bij het <a href='#'>station</a></p>")
    data = [
        original,
        status("101", "", reblog=original),  # a boost of 100
        status("102", "", reblog=status("200", "<p>Ruzie op het plein</p>")),
        status("103", "", reblog=status("200", "<p>Ruzie op het plein</p>")),  # boosted twice
        status("104", "<p>Alleen voor volgers</p>", visibility="private"),
        status("105", ""),
        "not a status",
    ]
    result = parse_mastodon(json.dumps(data).encode())
    assert [(p.item_id, p.text) for p in result.posts] == [
        ("100", "Fiets gestolen bij het station"),
        ("200", "Ruzie op het plein"),
    ]
    assert result.posts[0].language == "nl"
    assert result.posts[0].author == "jan@mastodon.example"
    assert result.posts[0].published == datetime(2026, 5, 5, 21, 30, tzinfo=UTC)
    reasons = {s.position: s.reason for s in result.skipped}
    assert reasons["status 2"] == "a reblog of status 100 already in this document"
    assert "reblog" in reasons["status 4"]
    assert reasons["status 5"] == "not public (visibility 'private')"
    assert reasons["status 6"] == "no text"
    assert reasons["status 7"] == "not a JSON object"


@pytest.mark.parametrize("data", [b"{not json", b'{"statuses": []}', b"\xff\xfe\x00"])
def test_mastodon_document_that_is_not_an_array_of_statuses_is_refused(data: bytes) -> None:
    with pytest.raises(FeedError):
        parse_mastodon(data)


JSONL = "\n".join(
    [
        json.dumps(
            {
                "uid": 7,
                "body": "Vol à l'arraché <i>rue de Rome</i>",
                "when": "2026-05-05T20:00:00+02:00",
                "lang": "FR-fr",
                "who": "Marie",
                "lat": "45.07",
                "lon": 7.68,
            }
        ),
        json.dumps({"uid": 8, "body": "sans date"}),
        json.dumps({"uid": 9, "body": "epoch", "when": 1778000000}),
        json.dumps({"uid": 10, "body": "epoch ms", "when": 1778000000000}),
        json.dumps({"uid": 11, "body": "rfc", "when": "Tue, 05 May 2026 10:00:00 GMT"}),
        json.dumps({"uid": 12, "body": "naive", "when": "2026-05-05 10:00:00"}),
        json.dumps({"uid": 13, "body": "a date only", "when": "2026-05-05"}),
        json.dumps({"uid": 14, "body": "bad", "when": "the other day"}),
        json.dumps({"body": "no id"}),
        json.dumps({"uid": 16, "body": "   "}),
        "[1, 2]",
        "{broken",
        json.dumps({"uid": 7, "body": "same id again"}),
        json.dumps({"uid": 18, "body": "klingon", "lang": "TLH-Latn", "lat": 95, "lon": 7}),
    ]
).encode()
MAPPING = {"id": "uid", "text": "body", "published": "when", "language": "lang", "author": "who"}


def test_jsonl_rows_through_a_mapping_with_dates_in_several_forms() -> None:
    result = parse_jsonl(JSONL, MAPPING)
    posts = {p.item_id: p for p in result.posts}
    first = posts["7"]
    assert (first.text, first.author, first.language) == ("Vol à l'arraché rue de Rome", "Marie", "fr")
    assert (first.lat, first.lon) == (45.07, 7.68)
    assert first.published == datetime(2026, 5, 5, 18, 0, tzinfo=UTC)
    assert posts["8"].published is None
    assert posts["9"].published == posts["10"].published == datetime.fromtimestamp(1778000000, tz=UTC)
    assert posts["11"].published == datetime(2026, 5, 5, 10, 0, tzinfo=UTC)
    assert posts["12"].published == datetime(2026, 5, 5, 10, 0, tzinfo=UTC)  # no offset: taken as UTC
    assert posts["13"].published == datetime(2026, 5, 5, tzinfo=UTC)
    assert posts["18"].language == "tlh"  # unknown, kept as given, lowercased
    assert (posts["18"].lat, posts["18"].lon) == (None, None)  # off the globe: no position


def test_jsonl_bad_lines_skipped_with_reasons() -> None:
    reasons = {s.position: s.reason for s in parse_jsonl(JSONL, MAPPING).skipped}
    assert reasons == {
        "line 8": "date not understood: 'the other day'",
        "line 9": "no id (key 'uid')",
        "line 10": "no text (key 'body')",
        "line 11": "not a JSON object",
        "line 12": reasons["line 12"],
        "line 13": "duplicate id '7'",
    }
    assert reasons["line 12"].startswith("not valid JSON")


def test_jsonl_document_without_any_object_is_refused() -> None:
    with pytest.raises(FeedError, match="not JSON-lines"):
        parse_jsonl(b"id,text\n1,hello\n")


def test_jsonl_unknown_mapping_field_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        parse_jsonl(b"{}", {"body": "text"})


def test_long_text_is_kept_but_cut_and_long_ids_hashed() -> None:
    row = {"id": "x" * 300, "text": "word " * 2000}
    [post] = parse_jsonl(json.dumps(row).encode()).posts
    assert len(post.text) <= MAX_POST_CHARS
    assert post.text.endswith("word")
    assert post.item_id.startswith("sha256:") and len(post.item_id) <= 200


CSV = (
    "\ufeffpost_id,message,date,user\n"
    "1,Rissa in piazza dei Tigli,2026-05-05T23:00:00Z,@Gino\n"
    '2,"Lampione spento, via del Mercato",,\n'
    ",senza id,,\n"
    "4,,2026-05-05,\n"
    "5,too,many,fields,here\n"
    "\n"
    "6,<script>x()</script>Spaccio vicino alla stazione,05/05/2026 pm,\n"
).encode()


def test_csv_rows_with_a_mapping_and_reasons_for_the_bad_ones() -> None:
    result = parse_csv(CSV, {"id": "post_id", "text": "message", "published": "date", "author": "user"})
    assert [(p.item_id, p.text) for p in result.posts] == [
        ("1", "Rissa in piazza dei Tigli"),
        ("2", "Lampione spento, via del Mercato"),
    ]
    assert result.posts[0].author == "@Gino"
    reasons = {s.position: s.reason for s in result.skipped}
    assert reasons["line 4"].startswith("no id")
    assert reasons["line 5"].startswith("no text")
    assert reasons["line 6"] == "5 fields, but the header has 4"
    assert reasons["line 8"].startswith("date not understood")


def test_csv_without_the_text_column_is_refused() -> None:
    with pytest.raises(FeedError, match="no 'text' column"):
        parse_csv(b"id,body\n1,hello\n")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_jsonl_never_raises_anything_but_feed_error(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_jsonl(data)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["id", "text", "published", "lat", "language"]),
            st.one_of(st.none(), st.integers(), st.floats(), st.text(), st.booleans()),
        )
    )
)
def test_jsonl_arbitrary_objects_are_posts_or_skipped(rows: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(row) for row in rows).encode()
    result = parse_jsonl(data)
    assert len(result.posts) + len(result.skipped) == len(rows)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_mastodon_and_csv_never_raise_anything_but_feed_error(text: str) -> None:
    for parser in (parse_mastodon, parse_csv, parse_rss):
        with contextlib.suppress(FeedError):
            parser(text.encode("utf-8", "surrogatepass"))
