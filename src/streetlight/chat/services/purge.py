"""Retention: unfinished conversations are closed after IDLE_HOURS without a message, and closed ones
are deleted (messages and answers) RETENTION_DAYS after closing. Run nightly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import conf
from ..models import OPEN_STATUSES, Conversation, ConversationStatus, HookDelivery


@dataclass(frozen=True)
class Purged:
    closed: int
    deleted: int


@transaction.atomic
def conversations_purge() -> Purged:
    now = timezone.now()
    idle = now - timedelta(hours=conf.number("IDLE_HOURS"))
    closed = Conversation.objects.filter(status__in=OPEN_STATUSES, updated_at__lt=idle).update(
        status=ConversationStatus.CLOSED,
        closed_at=now,
        expires_at=now + timedelta(days=conf.number("RETENTION_DAYS")),
        operator=None,
    )
    _total, rows = Conversation.objects.filter(expires_at__lt=now).delete()
    HookDelivery.objects.filter(at__lt=now - timedelta(days=7)).delete()
    return Purged(closed=closed, deleted=rows.get("chat.Conversation", 0))
