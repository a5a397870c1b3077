"""A short list of codes encrypted at rest, for answers that are personal even though they come
from a fixed list: what help a person asked for says something about their health and safety."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from streetlight.core import crypto
from streetlight.core.fields import EncryptedTextField


class EncryptedCodesField(EncryptedTextField):
    """A list of short codes (no commas) kept as one AES-256-GCM text, comma-separated; the empty
    list is stored as the empty string. Like every encrypted column it cannot be filtered on, which
    is the point: no query can pick out "everyone who asked for a safe place"."""

    _pyi_private_set_type: list[str] | tuple[str, ...]  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return self.to_python(super().from_db_value(value, expression, connection))

    def to_python(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [code for code in value.split(",") if code]
        if isinstance(value, Iterable):
            return [str(code) for code in value]
        raise TypeError(f"{self.name}: expected a list of codes, got {type(value).__name__}")

    def get_prep_value(self, value: Any) -> Any:
        codes = self.to_python(value)
        if not codes:
            return ""
        return crypto.encrypt(",".join(codes), context=self._context)

    def value_to_string(self, obj: Any) -> str:
        return ",".join(self.to_python(self.value_from_object(obj)))
