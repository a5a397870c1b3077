"""A coordinate encrypted at rest: where a resident walks is personal data, even for a few minutes."""

from __future__ import annotations

from typing import Any

from streetlight.core.fields import EncryptedTextField


class EncryptedFloatField(EncryptedTextField):
    """A float kept as AES-256-GCM text (core.crypto). It cannot be filtered or ordered on, which
    is fine: positions are only ever read per walk, by time."""

    _pyi_private_set_type: float | int | None  # type: ignore[assignment]
    _pyi_private_get_type: float | None  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return float(text) if text not in (None, "") else None

    def to_python(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        return float(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return super().get_prep_value(repr(float(value)))
