"""Model fields that encrypt their value at rest (see core.crypto)."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted with AES-256-GCM; the empty string is stored as is. Encryption is
    randomised, so the column cannot be filtered on: look values up through a blind index."""

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self._context = f"{cls._meta.db_table}.{self.column}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "" or not crypto.is_encrypted(value):
            return value  # a value written before encryption; `streetlight keys rotate` encrypts it
        return crypto.decrypt(value, context=self._context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self._context)
