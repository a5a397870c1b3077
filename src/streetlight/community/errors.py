"""What community services refuse, so views can answer with the right status and the field at fault."""

from __future__ import annotations


class CommunityInvalid(Exception):
    """Bad input (422): `errors` maps a form field (or "__all__") to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors


class CommunityConflict(Exception):
    """The action does not fit the current state (409): a closed drill, a business that left…"""


class MailUnavailable(Exception):
    """The mail server could not be reached (503): nothing was stored, try again later."""


class NotFound(Exception):
    """Missing and forbidden look the same (404), so a token or an id never leaks existence."""
