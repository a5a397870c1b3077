"""Keyed author pseudonyms: stable, unlinkable without the key, separate per source."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from streetlight.toolkit.posts import pseudonymise

KEY = b"k" * 32


def test_the_pseudonym_is_the_documented_hmac() -> None:
    expected = hmac.new(KEY, b"mastodon\0alice@example.social", hashlib.sha256).hexdigest()[:32]
    assert pseudonymise("alice@example.social", key=KEY, source="mastodon") == expected


def test_one_author_spelt_differently_is_one_pseudonym() -> None:
    spellings = [
        "Alice@Example.Social",
        "@alice@example.social",
        "  alice@example.social ",
        "ＡＬＩＣＥ@example.social",
    ]
    assert len({pseudonymise(s, key=KEY) for s in spellings}) == 1


def test_sources_and_keys_keep_pseudonyms_apart() -> None:
    base = pseudonymise("alice", key=KEY, source="rss")
    assert pseudonymise("alice", key=KEY, source="mastodon") != base
    assert pseudonymise("alice", key=b"another key", source="rss") != base
    assert pseudonymise("bob", key=KEY, source="rss") != base
    assert len(base) == 32 and int(base, 16) >= 0


def test_no_author_has_no_pseudonym() -> None:
    assert pseudonymise("", key=KEY) == ""
    assert pseudonymise("  @ ", key=KEY) == ""


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="key"):
        pseudonymise("alice", key=b"")
