"""The chat widget's API: POST /chat/api/messages sends a message (or starts), GET polls for new ones.

The conversation is found by a random token in an httpOnly, SameSite=Strict cookie (scripts never
see it; only its SHA-256 is stored). Thin: parse, call one service or selector, answer JSON."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.core.problems import problem

from . import selectors, services
from .engine import Inbound
from .errors import MessageRefused
from .http import BadBody, bad_request, json_body, no_store
from .models import ChatMessage, Conversation

logger = logging.getLogger("streetlight.chat")
WHERE = "the chat widget"


def cookie_name() -> str:
    return "__Host-chat" if settings.SESSION_COOKIE_SECURE else "sl_chat"


def message_json(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender,
        "text": message.text,
        "quick_replies": message.quick_replies,
        "operator": message.operator_name,
        "at": message.at.isoformat(),
    }


def _state(conversation: Conversation | None, after: int) -> dict[str, Any]:
    if conversation is None:
        return {"conversation": None, "messages": [], "typing": False}
    return {
        "conversation": {
            "status": conversation.status,
            "language": conversation.language,
            "step": conversation.step,
            "reference": conversation.report.reference if conversation.report_id and conversation.report else "",
        },
        "messages": [message_json(m) for m in selectors.messages_after(conversation=conversation, after=after)],
        "typing": selectors.typing(conversation.operator_typing_at),
    }


def _after(value: Any) -> int | None:
    try:
        after = int(value or 0)
    except (TypeError, ValueError):
        return None
    return after if 0 <= after < 2**62 else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _inbound(data: dict[str, Any]) -> Inbound | str:
    text, choice = data.get("text", ""), data.get("choice", "")
    if not isinstance(text, str) or not isinstance(choice, str) or len(choice) > 64:
        return "text and choice must be strings"
    return Inbound(
        text=text,
        choice=choice,
        lat=_number(data.get("lat")),
        lon=_number(data.get("lon")),
        accuracy=_number(data.get("accuracy")),
    )


def _language(data: dict[str, Any]) -> str:
    hint = data.get("language")
    if isinstance(hint, str) and hint and services.conversations.supported_language(hint) is None:
        logger.info("chat: language hint %r from the widget ignored", hint[:16])
    return (hint if isinstance(hint, str) and services.conversations.supported_language(hint) else "") or (
        get_language() or "en"
    )[:2]


@require_http_methods(["GET", "POST"])
def messages(request: HttpRequest) -> HttpResponse:
    token = request.COOKIES.get(cookie_name(), "")
    conversation = selectors.conversation_for_web(token=token)
    if request.method == "GET":
        after = _after(request.GET.get("after"))
        if after is None:
            return bad_request(WHERE, "after must be a message id")
        return no_store(JsonResponse(_state(conversation, after)))
    try:
        data, _raw = json_body(request, where=WHERE)
    except BadBody as exc:
        return exc.response
    if not isinstance(data, dict):
        return bad_request(WHERE, "the body must be a JSON object")
    inbound, after = _inbound(data), _after(data.get("after"))
    if isinstance(inbound, str) or after is None:
        return bad_request(WHERE, inbound if isinstance(inbound, str) else "after must be a message id")
    new_token = ""
    if not token or len(token) > 100:
        token = new_token = services.new_token()
    try:
        if conversation is None or (not conversation.is_open and (inbound.text or inbound.choice)):
            if inbound.text:
                services.check_text(inbound.text, language=_language(data))
            said = services.conversation_start(
                channel="web", language=_language(data), web_token=token, first_text=inbound.text.strip()
            )
            conversation = said.conversation
        elif conversation.is_open and data.get("start") is not True:
            if not inbound.choice:
                services.check_text(inbound.text, language=conversation.language)
            conversation = services.resident_says(
                conversation_id=conversation.pk, inbound=inbound, base_url=request.build_absolute_uri("/")
            ).conversation
    except MessageRefused as exc:
        return problem(status=400, title=exc.message)
    response = no_store(JsonResponse(_state(conversation, after)))
    if new_token:
        response.set_cookie(
            cookie_name(), new_token, httponly=True, samesite="Strict", secure=settings.SESSION_COOKIE_SECURE, path="/"
        )
    return response


@require_POST
def typing(request: HttpRequest) -> HttpResponse:
    conversation = selectors.conversation_for_web(token=request.COOKIES.get(cookie_name(), ""))
    if conversation is not None and conversation.is_open:
        services.resident_typing(conversation_id=conversation.pk)
    return HttpResponse(status=204)
