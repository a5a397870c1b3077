from __future__ import annotations


class ComplaintRefused(Exception):
    """A hand-over step that cannot be done now; `status` is the HTTP answer (403, 409, 400)."""

    def __init__(self, message: str, *, status: int = 409, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
