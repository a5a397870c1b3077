"""The format of the application log: one line per record, UTC times with their offset.

Control characters (a newline in a requested path, a carriage return in a header someone sent) are
written escaped, so a value can never forge a second log entry or break a log processor's lines.
"""

from __future__ import annotations

import logging
import time

_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, 0x85]}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


class LineFormatter(logging.Formatter):
    """`2026-11-20T21:30:05.123Z INFO streetlight.crypto message`, tracebacks included, on one line."""

    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def converter(self, seconds: float | None) -> time.struct_time:
        return time.gmtime(seconds)

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).translate(_ESCAPES)
