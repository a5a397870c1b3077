"""Chat errors that callers turn into answers: a refused message keeps its sentence for the resident."""

from __future__ import annotations


class MessageRefused(Exception):
    """Empty or too long: `message` says so in the conversation's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConversationNotFound(Exception):
    """No open conversation for this token, chat or id (or the caller may not see it)."""


class OperatorRefused(Exception):
    """An operator action that does not fit the conversation's state; the message says why."""
