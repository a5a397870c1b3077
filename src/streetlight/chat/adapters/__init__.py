"""Messaging channels: each adapter reads its platform's payload into a plain InboundText and sends
our messages back in the platform's format. No database access here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InboundText:
    chat_id: str
    text: str
    language: str | None = None
    event_id: str = ""


class PayloadInvalid(Exception):
    """The payload is not what the platform's documentation describes; the message says what is wrong."""


def as_text(text: str, options: list[dict[str, str]]) -> str:
    """A message with its quick replies as numbered lines, for channels without buttons."""
    if not options:
        return text
    return text + "\n" + "\n".join(f"{i}. {o['label']}" for i, o in enumerate(options, start=1))
