"""The one error type of the format readers and writers."""

from __future__ import annotations


class FormatError(ValueError):
    """Input or output that does not fit its format; the message starts with the line at fault.

    A ValueError so callers that already turn ValueError into a 400 response need nothing new;
    `line` is kept separately for tools that report many problems in one pass.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}" if line is not None else message)
