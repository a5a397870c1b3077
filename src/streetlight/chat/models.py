"""Conversations with the chat assistant and their messages. Everything a resident wrote is encrypted
at rest; external chat ids and web tokens are kept only as keyed or plain hashes, and a conversation
is deleted RETENTION_DAYS after it closes (services.purge)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    WEB = "web", _("Web chat")
    TELEGRAM = "telegram", _("Telegram")
    MATRIX = "matrix", _("Matrix")
    GENERIC = "generic", _("Messaging webhook")


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("With the assistant")
    WAITING = "waiting_for_operator", _("Waiting for an operator")
    WITH_OPERATOR = "with_operator", _("With an operator")
    CLOSED = "closed", _("Closed")


class Sender(models.TextChoices):
    BOT = "bot", _("Assistant")
    RESIDENT = "resident", _("Resident")
    OPERATOR = "operator", _("Operator")


OPEN_STATUSES = (ConversationStatus.BOT, ConversationStatus.WAITING, ConversationStatus.WITH_OPERATOR)


class Conversation(models.Model):
    """One conversation. `answers` holds what the resident answered so far (JSON, encrypted), so an
    operator can hand the conversation back to the assistant at the step where it stopped."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Messaging channels: an HMAC (the blind-index key) of "<channel>:<chat id>"; the id itself is
    # kept encrypted in `address`, since replies must reach it.
    external_hash = models.CharField(max_length=64, blank=True, db_index=True)
    address = EncryptedTextField(blank=True)
    # The web widget: the SHA-256 of the random token kept in the resident's httpOnly cookie.
    web_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    step = models.CharField(_("step"), max_length=32, default="start")
    answers_json = EncryptedTextField(blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=ConversationStatus.choices, default=ConversationStatus.BOT
    )
    handover_reason = models.CharField(_("why an operator"), max_length=16, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resident_typing_at = models.DateTimeField(null=True, blank=True)
    operator_typing_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("started"))
    updated_at = models.DateTimeField(_("last message"))
    closed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"]), models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False, expires_at__isnull=False),
                name="chat_closed_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="with_operator") | Q(operator__isnull=False),
                name="chat_with_operator_has_one",
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.channel}, {self.status})"

    @property
    def answers(self) -> dict[str, Any]:
        return json.loads(self.answers_json) if self.answers_json else {}

    @answers.setter
    def answers(self, value: dict[str, Any]) -> None:
        self.answers_json = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def is_open(self) -> bool:
        return self.status != ConversationStatus.CLOSED


class ChatMessage(models.Model):
    """One message. `private` marks what operators must not read (contact details, the follow-up
    link): they see a placeholder instead."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("sender"), max_length=16, choices=Sender.choices)
    text = EncryptedTextField(_("text"))
    quick_replies = models.JSONField(default=list, blank=True)
    private = models.BooleanField(default=False)
    operator_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.sender})"


class HookDelivery(models.Model):
    """Matrix transactions already handled: the homeserver retries a transaction until it gets a 200,
    and must not get the same replies twice."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    txn_id = models.CharField(max_length=255)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "txn_id"], name="chat_hook_txn_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.txn_id}"
