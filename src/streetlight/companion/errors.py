"""Domain errors that name the field at fault, so the form and the JSON endpoint both can say it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Walk


class WalkInvalid(Exception):
    """`errors` maps a field name to a sentence for the resident."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
        self.errors = errors


class WalkNotFound(Exception):
    """No walk for this token (never issued, or deleted long ago)."""


class WalkFinished(Exception):
    """The walk has ended: its link answers 410 Gone."""

    def __init__(self, walk: Walk) -> None:
        super().__init__("walk finished")
        self.walk = walk


class MailUnavailable(Exception):
    """The mail server cannot be reached: no contact can be invited, so no walk is started."""
