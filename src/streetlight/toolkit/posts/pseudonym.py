"""Authors are stored only as keyed hashes: the same author in the same source gets the same
pseudonym (so bursts and repeat posters can be counted), but without the key nobody can test a guess
("is it @alice?"), which a plain hash would allow."""

from __future__ import annotations

import hashlib
import hmac

from .model import normalise_author

PSEUDONYM_CHARS = 32


def pseudonymise(author: str, *, key: bytes, source: str = "") -> str:
    """HMAC-SHA256(key, source + "\\0" + normalised author) in hex, first 32 characters (128 bits);
    "" for no author. The source keeps the same handle on two networks apart; normalising (NFKC,
    trimmed, no leading "@", casefolded) keeps one person's spellings together."""
    if not key:
        raise ValueError("pseudonymise needs a non-empty key: an unkeyed hash can be reversed by guessing")
    name = normalise_author(author)
    if not name:
        return ""
    message = f"{source}\0{name}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]
