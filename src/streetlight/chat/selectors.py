"""Reads of conversations: the resident's by their token, and the control room's chat desk.

Who may work the chat desk: members of any agency with a case role (routing.enums.CASE_ROLES). Before
a report exists nothing routes a conversation to one agency, so every case-working member sees the
queue; what they see is the conversation only, never contact details (hidden in the history) or the
follow-up link. Analysts and the public get nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.core.tokens import hash_token
from streetlight.routing.enums import CASE_ROLES
from streetlight.routing.models import Membership

from . import conf
from .errors import ConversationNotFound
from .models import ChatMessage, Conversation, ConversationStatus

DESK_STATUSES = (ConversationStatus.WAITING, ConversationStatus.WITH_OPERATOR)
RECENTLY_CLOSED = timedelta(hours=12)


def may_operate(*, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, role__in=[str(r) for r in CASE_ROLES]).exists()


def conversation_for_web(*, token: str) -> Conversation | None:
    """The resident's latest conversation in this browser (closed ones too, so the reference stays
    on screen), or None."""
    if not token or len(token) > 100:
        return None
    return Conversation.objects.filter(web_token_hash=hash_token(token)).order_by("-pk").first()


def messages_after(*, conversation: Conversation, after: int = 0) -> QuerySet[ChatMessage]:
    return conversation.messages.filter(pk__gt=after).order_by("pk")


def typing(at: Any) -> bool:
    return at is not None and timezone.now() - at < timedelta(seconds=conf.number("TYPING_SECONDS"))


def desk_list() -> QuerySet[Conversation]:
    """Waiting first (oldest first: they have waited longest), then those with an operator."""
    return (
        Conversation.objects.filter(status__in=DESK_STATUSES)
        .select_related("operator")
        .order_by("status", "updated_at")
    )


def recently_closed() -> QuerySet[Conversation]:
    since = timezone.now() - RECENTLY_CLOSED
    return (
        Conversation.objects.filter(status=ConversationStatus.CLOSED, closed_at__gte=since, operator__isnull=False)
        .select_related("operator", "report")
        .order_by("-closed_at")[:20]
    )


def waiting_count() -> int:
    return Conversation.objects.filter(status=ConversationStatus.WAITING).count()


def conversation_for_desk(*, user: User, conversation_id: int) -> Conversation:
    """A conversation an operator may open: on the desk now, or closed by an operator recently."""
    if not may_operate(user=user):
        raise ConversationNotFound(conversation_id)
    conversation = Conversation.objects.filter(pk=conversation_id).select_related("operator", "report").first()
    if conversation is None or conversation.status == ConversationStatus.BOT:
        raise ConversationNotFound(conversation_id)
    if conversation.status == ConversationStatus.CLOSED and (
        conversation.closed_at is None or timezone.now() - conversation.closed_at > RECENTLY_CLOSED
    ):
        raise ConversationNotFound(conversation_id)
    return conversation


@dataclass(frozen=True)
class DeskRow:
    conversation: Conversation
    messages: int
    waiting_since: Any


def desk_rows() -> list[DeskRow]:
    return [DeskRow(conversation=c, messages=c.messages.count(), waiting_since=c.updated_at) for c in desk_list()]
