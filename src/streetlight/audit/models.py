"""The audit log: one row per privileged read or change, never updated or deleted.

Append-only is enforced in the model (and, on PostgreSQL, by a trigger in the migrations) so that
no code path, including the admin, can rewrite history. Someone with direct database access still
can: the hash chain and the signed checkpoints make that visible (see `chain` and `verification`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .chain import checkpoint_message


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry or checkpoint."""


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log cannot be deleted from")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("the audit log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log cannot be deleted from")


class AuditEntry(AppendOnly):
    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    # Set by record() before the INSERT, because it is part of the hash.
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    source_address = models.CharField(_("from"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AppendOnlyQuerySet["AuditEntry"].as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_type}:{self.target_id}"


class AuditCheckpoint(AppendOnly):
    """A signed Merkle root over the hashes of entries first_seq..last_seq, chained to the previous
    checkpoint's root. The public key is stored so that anyone can check the signature; whether
    that key is the city's own is decided against the key file, never against the database."""

    first_seq = models.PositiveBigIntegerField(_("first entry"), unique=True)
    last_seq = models.PositiveBigIntegerField(_("last entry"), unique=True)
    merkle_root = models.CharField(_("Merkle root"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)  # hex, 64 bytes
    key_id = models.CharField(_("key id"), max_length=32)
    public_key = models.CharField(_("public key"), max_length=64)  # hex, 32 bytes
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AppendOnlyQuerySet["AuditCheckpoint"].as_manager()

    class Meta:
        ordering = ["first_seq"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_seq__gte=models.F("first_seq")), name="audit_checkpoint_range"
            )
        ]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.first_seq}–#{self.last_seq}"

    def signed_message(self) -> bytes:
        return checkpoint_message(
            first_seq=self.first_seq,
            last_seq=self.last_seq,
            merkle_root=self.merkle_root,
            key_id=self.key_id,
            created_at=self.created_at,
        )
