"""Messaging channels: a platform's message becomes a resident's message in the conversation of that
chat, and every answer (the assistant's or an operator's) is sent back through the platform.

Unknown language hints are ignored and logged; refused texts (empty, too long) are answered with the
reason and logged, never stored."""

from __future__ import annotations

import logging

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conf, engine
from ..adapters import InboundText, as_text, matrix, telegram
from ..errors import MessageRefused
from ..models import OPEN_STATUSES, Channel, ChatMessage, Conversation, HookDelivery, Sender
from .conversations import Said, check_text, conversation_start, external_hash, resident_says, supported_language

logger = logging.getLogger("streetlight.chat")


def base_url() -> str:
    return str(settings.STREETLIGHT.get("BASE_URL", ""))


def first_delivery(*, channel: str, txn_id: str) -> bool:
    """False when this transaction or update was already handled (the platform retried it)."""
    try:
        with transaction.atomic():
            HookDelivery.objects.create(channel=channel, txn_id=txn_id[:255], at=timezone.now())
    except IntegrityError:
        return False
    return True


def messaging_receive(*, channel: str, message: InboundText) -> tuple[Said | None, str]:
    """Take one message from a platform. Returns what was said, or a refusal to send back as is."""
    hint = message.language
    if hint and supported_language(hint) is None:
        logger.info("chat: language hint %r from %s ignored (not one of ours)", hint[:16], channel)
    conversation = (
        Conversation.objects.filter(external_hash=external_hash(channel, message.chat_id), status__in=OPEN_STATUSES)
        .order_by("-pk")
        .first()
    )
    language = conversation.language if conversation else supported_language(hint) or conf.default_language()
    try:
        text = check_text(message.text, language=language)
    except MessageRefused as exc:
        logger.info("chat: message from %s refused (%d characters)", channel, len(message.text))
        return None, exc.message
    if conversation is None:
        return conversation_start(channel=channel, language=hint, chat_id=message.chat_id, first_text=text), ""
    return resident_says(conversation_id=conversation.pk, inbound=engine.Inbound(text=text), base_url=base_url()), ""


def outgoing(said: Said) -> list[ChatMessage]:
    return [m for m in said.messages if m.sender != Sender.RESIDENT]


def deliver(said: Said) -> None:
    """Send the assistant's and operators' messages to a Telegram chat or a Matrix room. A failure is
    logged: the messages stay in the conversation, and the control room still sees them."""
    conversation = said.conversation
    if conversation.channel not in (Channel.TELEGRAM, Channel.MATRIX):
        return
    for message in outgoing(said):
        try:
            _send(conversation, message)
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("chat: %s delivery of message %s failed: %s", conversation.channel, message.pk, exc)


def send_refusal(*, channel: str, chat_id: str, text: str) -> None:
    try:
        if channel == Channel.TELEGRAM:
            _telegram(chat_id, text, [])
        elif channel == Channel.MATRIX:
            _matrix(chat_id, f"refusal-{timezone.now().timestamp()}", text)
    except (httpx.HTTPError, ValueError) as exc:
        logger.warning("chat: %s refusal not delivered: %s", channel, exc)


def _send(conversation: Conversation, message: ChatMessage) -> None:
    text = message.text
    if message.sender == Sender.OPERATOR:
        text = f"{message.operator_name}: {text}"
    if conversation.channel == Channel.TELEGRAM:
        _telegram(conversation.address, text, list(message.quick_replies))
    else:
        _matrix(conversation.address, f"sl-{message.pk}", as_text(text, list(message.quick_replies)))


def _telegram(chat_id: str, text: str, options: list[dict[str, str]]) -> None:
    token = conf.text("TELEGRAM_TOKEN")
    if not token:
        raise ValueError("STREETLIGHT['CHAT']['TELEGRAM_TOKEN'] is not set")
    telegram.send_message(
        api=conf.text("TELEGRAM_API"),
        token=token,
        chat_id=chat_id,
        text=text,
        options=options,
        timeout=conf.number("HTTP_TIMEOUT"),
    )


def _matrix(room_id: str, txn_id: str, text: str) -> None:
    homeserver, token = conf.text("MATRIX_HOMESERVER"), conf.text("MATRIX_AS_TOKEN")
    if not homeserver or not token:
        raise ValueError("STREETLIGHT['CHAT']['MATRIX_HOMESERVER'] and ['MATRIX_AS_TOKEN'] must be set")
    matrix.send_message(
        homeserver=homeserver,
        token=token,
        room_id=room_id,
        txn_id=txn_id,
        text=text,
        timeout=conf.number("HTTP_TIMEOUT"),
    )


def pending_for_generic(said: Said) -> list[ChatMessage]:
    """What the generic channel's caller has not received yet: everything said to the resident since
    their previous message (operators' answers in between included), since replies only travel in
    response bodies there."""
    conversation = said.conversation
    residents = list(
        conversation.messages.filter(sender=Sender.RESIDENT).order_by("-pk").values_list("pk", flat=True)[:2]
    )
    since = residents[1] if len(residents) > 1 else 0
    return list(conversation.messages.filter(pk__gt=since).exclude(sender=Sender.RESIDENT).order_by("pk"))
