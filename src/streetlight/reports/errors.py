"""Domain errors with field names, so every caller (form, API, Open311) can say which field is wrong."""

from __future__ import annotations


class ReportInvalid(Exception):
    """One or more fields of a submission are wrong. `errors` maps a field path to a sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
        self.errors = errors


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used for a different submission."""


class ReportNotFound(Exception):
    """No report for this token or id, or the caller may not see it (one answer for both)."""
