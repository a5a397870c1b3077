"""Read the features of a GeoJSON FeatureCollection one at a time.

A FeatureCollection is a single JSON document, so `json.load` would hold a 1 GB export in memory
(several times over, as Python objects). Here only the top level is walked by hand and each
feature is decoded on its own with `JSONDecoder.raw_decode` from a sliding buffer, whether the
file is pretty-printed, one feature per line, or minified on a single line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from .errors import FormatError

CHUNK_CHARS = 1 << 16
#: A single feature larger than this is treated as malformed rather than buffered without end.
MAX_VALUE_CHARS = 64 << 20
_WHITESPACE = " \t\r\n"
_decoder = json.JSONDecoder()


class _Cursor:
    """A read position over a text stream with a sliding buffer and line tracking."""

    def __init__(self, stream: TextIO, prefix: str) -> None:
        self._stream = stream
        self.buf = prefix
        self.pos = 0
        self.eof = False
        self._mark_pos = 0  # buffer index whose line number is known ...
        self._mark_line = 1  # ... and that line number

    def _fill(self, wanted: int = CHUNK_CHARS) -> bool:
        if self.eof:
            return False
        data = self._stream.read(wanted)
        if not data:
            self.eof = True
            return False
        if self.pos > CHUNK_CHARS:  # drop what has been consumed, keeping line numbers right
            self._mark_line = self.line_at(self.pos)
            self.buf, self._mark_pos, self.pos = self.buf[self.pos :], 0, 0
        self.buf += data
        return True

    def line_at(self, index: int) -> int:
        if index >= self._mark_pos:
            self._mark_line += self.buf.count("\n", self._mark_pos, index)
        else:
            self._mark_line -= self.buf.count("\n", index, self._mark_pos)
        self._mark_pos = index
        return self._mark_line

    def peek(self) -> str:
        """Next non-blank character without consuming it; "" at the end of the input."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, chars: str, what: str) -> str:
        char = self.peek()
        if char == "" or char not in chars:
            found = repr(char) if char else "the end of the input"
            raise FormatError(f"expected {what}, found {found}", line=self.line_at(self.pos))
        self.pos += 1
        return char

    def value(self) -> Any:
        """Decode the JSON value at the cursor, reading more input until it is complete."""
        self.peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if _maybe_truncated(exc, len(self.buf)) and self._grow():
                    continue
                raise FormatError(f"not valid JSON: {exc.msg}", line=self.line_at(exc.pos)) from None
            # A number that ends exactly at the buffer's end may continue in the next chunk.
            if end == len(self.buf) and self._grow():
                continue
            self.pos = end
            return value

    def _grow(self) -> bool:
        pending = len(self.buf) - self.pos
        if pending > MAX_VALUE_CHARS:
            raise FormatError(
                f"a value longer than {MAX_VALUE_CHARS} characters: malformed or not one feature per object",
                line=self.line_at(self.pos),
            )
        return self._fill(max(CHUNK_CHARS, pending))


def _maybe_truncated(exc: json.JSONDecodeError, buffered: int) -> bool:
    """Could more input fix this error? Only if it is near the end of what is buffered.

    Otherwise a broken feature early in a large file would make us read up to MAX_VALUE_CHARS
    before reporting it, and under the wrong line.
    """
    return exc.msg.startswith("Unterminated string") or buffered - exc.pos <= 16


def iter_features(stream: TextIO, prefix: str = "") -> Iterator[tuple[int, Any]]:
    """Yield (line where the feature starts, decoded feature) from a FeatureCollection.

    `prefix` is text already read from the stream (format sniffing). Keys other than "features"
    are decoded whole; "type", when present, must be "FeatureCollection".
    """
    cur = _Cursor(stream, prefix)
    cur.expect("{", "a GeoJSON FeatureCollection object")
    seen_features = False
    seen_type = False
    if cur.peek() == "}":
        cur.pos += 1
    else:
        while True:
            line = cur.line_at(cur.pos)
            key = cur.value()
            if not isinstance(key, str):
                raise FormatError("expected an object key", line=line)
            cur.expect(":", "':'")
            if key == "features":
                seen_features = True
                yield from _iter_array(cur)
            else:
                value = cur.value()
                if key == "type":
                    seen_type = True
                    if value != "FeatureCollection":
                        raise FormatError(f"expected a FeatureCollection, got type {value!r}", line=line)
            if cur.expect(",}", "',' or '}'") == "}":
                break
    if cur.peek() != "":
        raise FormatError("unexpected data after the FeatureCollection", line=cur.line_at(cur.pos))
    if not seen_type:
        raise FormatError("not a FeatureCollection (no 'type' member)")
    if not seen_features:
        raise FormatError("the FeatureCollection has no 'features' array")


def _iter_array(cur: _Cursor) -> Iterator[tuple[int, Any]]:
    cur.expect("[", "the 'features' array")
    if cur.peek() == "]":
        cur.pos += 1
        return
    while True:
        cur.peek()
        line = cur.line_at(cur.pos)
        yield line, cur.value()
        if cur.expect(",]", "',' or ']'") == "]":
            return
