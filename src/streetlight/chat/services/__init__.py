"""Every write of the chat app goes through one of these functions."""

from streetlight.core.tokens import hash_token, new_token

from .channels import deliver, first_delivery, messaging_receive, send_refusal
from .conversations import (
    Said,
    check_text,
    conversation_start,
    resident_says,
    resident_typing,
)
from .operators import (
    conversation_close,
    conversation_file,
    conversation_hand_back,
    conversation_take,
    operator_says,
    operator_typing,
    visible_text,
)
from .purge import Purged, conversations_purge

__all__ = [
    "Purged",
    "Said",
    "check_text",
    "conversation_close",
    "conversation_file",
    "conversation_hand_back",
    "conversation_start",
    "conversation_take",
    "conversations_purge",
    "deliver",
    "first_delivery",
    "hash_token",
    "messaging_receive",
    "new_token",
    "operator_says",
    "operator_typing",
    "resident_says",
    "resident_typing",
    "send_refusal",
    "visible_text",
]
