"""What the subscription services refuse, in words a resident understands."""

from __future__ import annotations


class SubscriptionInvalid(Exception):
    """A choice is not one we offer; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class SubscriptionUndeliverable(Exception):
    """The mail server refused the address, so nothing was kept: the resident can correct it."""


class MailUnavailable(Exception):
    """Our mail server could not be reached: nothing was kept, the resident can try again later."""


class TokenUnknown(Exception):
    """No subscription has this link (mistyped, or already used)."""


class TokenExpired(Exception):
    """The confirmation link is older than CONFIRM_HOURS."""
