"""Writes on the resident's side: start a conversation, take a message through the engine, call an
operator, file the report. Each public function is one transaction on a locked conversation, so two
messages sent at once are answered in order."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from streetlight.audit import services as audit
from streetlight.core.crypto import keyring
from streetlight.core.tokens import hash_token
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.services import report_submit

from .. import conf, engine
from ..engine import catalog, texts
from ..errors import MessageRefused
from ..models import OPEN_STATUSES, ChatMessage, Conversation, ConversationStatus, Sender

logger = logging.getLogger("streetlight.chat")
SOURCE = "chat"


@dataclass(frozen=True)
class Said:
    """The messages one call added (the resident's and the answers), for the channel to deliver."""

    conversation: Conversation
    messages: list[ChatMessage]


def external_hash(channel: str, chat_id: str) -> str:
    """A keyed hash, so the table alone does not say who talked to us on Telegram or Matrix."""
    return hmac.new(keyring().index_key, f"{channel}:{chat_id}".encode(), hashlib.sha256).hexdigest()


def supported_language(code: str | None) -> str | None:
    code = (code or "").strip().lower()[:2]
    return code if code in conf.languages() else None


def _state(conversation: Conversation) -> engine.State:
    return engine.State(
        language=conversation.language,
        step=conversation.step,
        answers=conversation.answers,
        channel=conversation.channel,
    )


def _store_state(conversation: Conversation, state: engine.State) -> None:
    conversation.language = state.language
    conversation.step = state.step
    conversation.answers = state.answers


def add_message(
    conversation: Conversation,
    sender: str,
    text: str,
    *,
    options: list[dict[str, str]] | None = None,
    private: bool = False,
    operator_name: str = "",
) -> ChatMessage:
    now = timezone.now()
    conversation.updated_at = now
    return ChatMessage.objects.create(
        conversation=conversation,
        sender=sender,
        text=text,
        quick_replies=options or [],
        private=private,
        operator_name=operator_name,
        at=now,
    )


def _say(conversation: Conversation, turn: engine.Turn) -> list[ChatMessage]:
    return [
        add_message(conversation, Sender.BOT, r.text, options=[o.as_dict() for o in r.options], private=r.private)
        for r in turn.replies
    ]


def check_text(text: str, *, language: str) -> str:
    """Refuse empty and over-long messages with a sentence in the conversation's language."""
    limit = conf.number("MAX_TEXT")
    with translation.override(language):
        if "\x00" in text:
            raise MessageRefused(texts.empty_text())
        if len(text) > limit:
            raise MessageRefused(texts.too_long(limit))
        if not text.strip():
            raise MessageRefused(texts.empty_text())
    return text.strip()


def close_fields(conversation: Conversation) -> None:
    now = timezone.now()
    conversation.status = ConversationStatus.CLOSED
    conversation.closed_at = now
    conversation.expires_at = now + timedelta(days=conf.number("RETENTION_DAYS"))


@transaction.atomic
def conversation_start(
    *, channel: str, language: str | None, web_token: str = "", chat_id: str = "", first_text: str = ""
) -> Said:
    """A new conversation and its greeting. Without a known language the first message's language is
    detected; failing that, the language question is asked in the city's default language."""
    now = timezone.now()
    detected = supported_language(language)
    if detected is None and first_text:
        detected = supported_language(catalog.language_of(first_text))
    conversation = Conversation.objects.create(
        channel=channel,
        language=detected or conf.default_language(),
        step="start" if detected else "language",
        web_token_hash=hash_token(web_token) if web_token else "",
        external_hash=external_hash(channel, chat_id) if chat_id else "",
        address=chat_id,
        created_at=now,
        updated_at=now,
    )
    messages = []
    if first_text:
        messages.append(add_message(conversation, Sender.RESIDENT, first_text))
    state = _state(conversation)
    with translation.override(conversation.language):
        turn = engine.begin(state, first_text=first_text if detected else "")
        _store_state(conversation, state)
        messages += _say(conversation, turn)
        messages += _act(conversation, state, turn)
    conversation.save()
    return Said(conversation, messages)


@transaction.atomic
def resident_says(*, conversation_id: int, inbound: engine.Inbound, base_url: str) -> Said:
    """One message from the resident. With the assistant it goes through the engine; waiting for or
    with an operator it is stored for the operator (the engine only listens for "continue")."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    shown = inbound.text
    if inbound.choice:
        options = _last_options(conversation)
        shown = next((o["label"] for o in options if o["value"] == inbound.choice), inbound.choice)
    private = conversation.step in engine.PRIVATE_STEPS and conversation.status == ConversationStatus.BOT
    messages = [add_message(conversation, Sender.RESIDENT, shown, private=private)]
    conversation.resident_typing_at = None
    with translation.override(conversation.language):
        if conversation.status == ConversationStatus.WAITING:
            if engine.is_leave_queue(inbound.text) or inbound.choice == "continue":
                conversation.status = ConversationStatus.BOT
                audit.record(actor=None, action="chat.handover_cancelled", target=conversation)
                state = _state(conversation)
                turn = engine.resume(state)
                _store_state(conversation, state)
                messages += _say(conversation, turn)
            elif not _bot_said_recently(conversation):
                messages.append(add_message(conversation, Sender.BOT, texts.still_waiting()))
        elif conversation.status == ConversationStatus.BOT:
            state = _state(conversation)
            turn = engine.advance(state, inbound)
            _store_state(conversation, state)
            messages += _say(conversation, turn)
            messages += _act(conversation, state, turn, base_url=base_url)
    conversation.save()
    return Said(conversation, messages)


def _last_options(conversation: Conversation) -> list[dict[str, str]]:
    last = conversation.messages.filter(sender=Sender.BOT).exclude(quick_replies=[]).order_by("-pk").first()
    return list(last.quick_replies) if last else []


def _bot_said_recently(conversation: Conversation) -> bool:
    last = conversation.messages.exclude(sender=Sender.RESIDENT).order_by("-pk").first()
    return last is not None and last.sender == Sender.BOT and last.text == texts.still_waiting()


def _act(
    conversation: Conversation, state: engine.State, turn: engine.Turn, *, base_url: str = ""
) -> list[ChatMessage]:
    if turn.action == engine.Action.HANDOVER:
        return handover(conversation, reason=turn.reason)
    if turn.action == engine.Action.SUBMIT:
        return file_report(conversation, state, actor=None, base_url=base_url)
    return []


def handover(conversation: Conversation, *, reason: str) -> list[ChatMessage]:
    """Ask for an operator: the conversation appears on the control room's chat desk."""
    if conversation.status in (ConversationStatus.WAITING, ConversationStatus.WITH_OPERATOR):
        return []
    conversation.status = ConversationStatus.WAITING
    conversation.handover_reason = reason
    audit.record(actor=None, action="chat.handover", target=conversation, data={"reason": reason})
    return [
        add_message(
            conversation,
            Sender.BOT,
            texts.handover_waiting(),
            options=[{"value": "continue", "label": _continue_label()}],
        )
    ]


def _continue_label() -> str:
    from django.utils.translation import gettext as _

    return _("Go on with the assistant")


def file_report(conversation: Conversation, state: engine.State, *, actor: object, base_url: str) -> list[ChatMessage]:
    """Submit the answers as a report (source "chat"). A refusal becomes a message asking again for
    the answer at fault; the conversation stays open."""
    draft = engine.draft_from(state.answers, language=state.language)
    try:
        submitted = report_submit(draft=draft, source=SOURCE)
    except ReportInvalid as exc:
        turn = engine.correct(state, exc.errors)
        _store_state(conversation, state)
        return _say(conversation, turn)
    conversation.report = submitted.report
    state.step = engine.DONE
    _store_state(conversation, state)
    audit.record(
        actor=actor if actor is not None else None,  # type: ignore[arg-type]
        action="chat.report_filed",
        target=conversation,
        data={"report": submitted.report.reference, "channel": conversation.channel},
    )
    link = base_url.rstrip("/") + f"/f/{submitted.followup_token}/"
    messages = [
        add_message(conversation, Sender.BOT, texts.filed(submitted.report.reference)),
        add_message(conversation, Sender.BOT, texts.followup_link(link), private=True),
        add_message(conversation, Sender.BOT, texts.after_filing()),
    ]
    if conversation.status == ConversationStatus.BOT:
        close_fields(conversation)
    return messages


@transaction.atomic
def resident_typing(*, conversation_id: int) -> None:
    Conversation.objects.filter(pk=conversation_id, status__in=OPEN_STATUSES).update(resident_typing_at=timezone.now())
