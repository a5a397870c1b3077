"""Writes on the control room's side: take over a conversation, answer, hand it back to the assistant,
file the report from the collected answers, close. Every change of hands is audited (never the
messages themselves)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit

from .. import engine
from ..engine import texts
from ..errors import OperatorRefused
from ..models import ChatMessage, Conversation, ConversationStatus, Sender
from .conversations import Said, _state, _store_state, add_message, check_text, close_fields, file_report


def operator_name(user: User) -> str:
    """What the resident sees: the first name, else the user name."""
    return (user.first_name or user.get_username()).strip()


def _locked(conversation_id: int) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation_id)


def _own(conversation: Conversation, actor: User) -> None:
    if conversation.status != ConversationStatus.WITH_OPERATOR or conversation.operator_id != actor.pk:
        raise OperatorRefused(_("Take over the conversation first."))


@transaction.atomic
def conversation_take(*, actor: User, conversation_id: int) -> Said:
    conversation = _locked(conversation_id)
    if conversation.status == ConversationStatus.CLOSED:
        raise OperatorRefused(_("This conversation has ended."))
    if conversation.status == ConversationStatus.WITH_OPERATOR:
        if conversation.operator_id == actor.pk:
            return Said(conversation, [])
        raise OperatorRefused(_("Another operator has already taken over this conversation."))
    conversation.status = ConversationStatus.WITH_OPERATOR
    conversation.operator = actor
    with translation.override(conversation.language):
        message = add_message(conversation, Sender.BOT, texts.operator_joined(operator_name(actor)))
    conversation.save()
    audit.record(actor=actor, action="chat.operator_joined", target=conversation)
    return Said(conversation, [message])


@transaction.atomic
def operator_says(*, actor: User, conversation_id: int, text: str) -> Said:
    conversation = _locked(conversation_id)
    _own(conversation, actor)
    text = check_text(text, language=translation.get_language() or "en")
    message = add_message(conversation, Sender.OPERATOR, text, operator_name=operator_name(actor))
    conversation.operator_typing_at = None
    conversation.save()
    return Said(conversation, [message])


@transaction.atomic
def conversation_hand_back(*, actor: User, conversation_id: int) -> Said:
    """The assistant takes up again at the question where it stopped."""
    conversation = _locked(conversation_id)
    _own(conversation, actor)
    conversation.status = ConversationStatus.BOT
    conversation.operator = None
    state = _state(conversation)
    with translation.override(conversation.language):
        messages = [add_message(conversation, Sender.BOT, texts.handed_back())]
        turn = engine.resume(state) if state.step != engine.DONE else engine.Turn()
        _store_state(conversation, state)
        messages += [
            add_message(conversation, Sender.BOT, r.text, options=[o.as_dict() for o in r.options], private=r.private)
            for r in turn.replies
        ]
    conversation.save()
    audit.record(actor=actor, action="chat.handed_back", target=conversation, data={"step": conversation.step})
    return Said(conversation, messages)


@transaction.atomic
def conversation_file(*, actor: User, conversation_id: int, base_url: str) -> Said:
    """File the report from the answers collected so far — only once the resident has answered the
    six consent questions, since they decide who receives it."""
    conversation = _locked(conversation_id)
    _own(conversation, actor)
    if conversation.report_id is not None:
        raise OperatorRefused(_("The report of this conversation has already been filed."))
    state = _state(conversation)
    answers = state.answers
    if not answers.get("category") or not engine.consents_answered(answers):
        raise OperatorRefused(
            _(
                "The resident has not answered what happened and the six consent questions yet: "
                "hand back to the assistant."
            )
        )
    with translation.override(conversation.language):
        messages = file_report(conversation, state, actor=actor, base_url=base_url)
    conversation.save()
    return Said(conversation, messages)


@transaction.atomic
def conversation_close(*, actor: User, conversation_id: int) -> Said:
    conversation = _locked(conversation_id)
    if conversation.status == ConversationStatus.CLOSED:
        return Said(conversation, [])
    if conversation.status == ConversationStatus.WITH_OPERATOR and conversation.operator_id != actor.pk:
        raise OperatorRefused(_("Another operator has taken over this conversation."))
    with translation.override(conversation.language):
        message = add_message(conversation, Sender.BOT, texts.closed())
    close_fields(conversation)
    conversation.save()
    audit.record(actor=actor, action="chat.closed", target=conversation)
    return Said(conversation, [message])


@transaction.atomic
def operator_typing(*, actor: User, conversation_id: int) -> None:
    Conversation.objects.filter(pk=conversation_id, status=ConversationStatus.WITH_OPERATOR, operator=actor).update(
        operator_typing_at=timezone.now()
    )


def visible_text(message: ChatMessage) -> str:
    """What an operator may read of a message: contact details and follow-up links are hidden."""
    if message.private:
        return _("(hidden: contact details or a follow-up link)")
    return message.text
