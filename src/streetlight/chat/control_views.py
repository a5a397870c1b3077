"""The control room's chat desk: conversations waiting for an operator, taking one over, answering
(polled every two seconds by static/streetlight/chat-desk.js), handing back to the assistant, filing
the report from the collected answers, closing. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from streetlight.accounts.decorators import staff_allowed, staff_user
from streetlight.accounts.models import User
from streetlight.core.problems import problem

from . import selectors, services
from .errors import ConversationNotFound, MessageRefused, OperatorRefused
from .http import BadBody, bad_request, json_body, no_store
from .models import ChatMessage, Conversation


def _may_operate(user: User | AnonymousUser) -> bool:
    return selectors.may_operate(user=user)


# Members with a case role in any agency; anyone else signed in gets a 403 page.
operators_only = staff_allowed(_may_operate, forbidden="chat/control/forbidden.html")


def _json_wanted(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or "json" in request.headers.get("Accept", "")


def _not_found(request: HttpRequest) -> HttpResponse:
    if _json_wanted(request):
        return problem(status=404, title="No such conversation.")
    return render(request, "chat/control/not_found.html", status=404)


def _message(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender,
        "text": services.visible_text(message),
        "operator": message.operator_name,
        "at": message.at.isoformat(),
    }


def _state(conversation: Conversation, after: int) -> dict[str, Any]:
    return {
        "status": conversation.status,
        "operator": conversation.operator.get_username() if conversation.operator else "",
        "messages": [_message(m) for m in selectors.messages_after(conversation=conversation, after=after)],
        "typing": selectors.typing(conversation.resident_typing_at),
    }


@operators_only
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    context = {"rows": selectors.desk_rows(), "closed": selectors.recently_closed()}
    return render(request, "chat/control/desk.html", context)


@operators_only
@require_GET
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.conversation_for_desk(user=staff_user(request), conversation_id=pk)
    except ConversationNotFound:
        return _not_found(request)
    context = {
        "conversation": found,
        "history": [(m, services.visible_text(m)) for m in selectors.messages_after(conversation=found)],
        "mine": found.operator_id == request.user.pk,
        "error": request.GET.get("error", "")[:300],
    }
    return render(request, "chat/control/conversation.html", context)


@operators_only
@require_http_methods(["GET", "POST"])
def messages(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.conversation_for_desk(user=staff_user(request), conversation_id=pk)
    except ConversationNotFound:
        return _not_found(request)
    if request.method == "GET":
        try:
            after = int(request.GET.get("after") or 0)
        except ValueError:
            return bad_request("the chat desk", "after must be a message id")
        return no_store(JsonResponse(_state(found, after)))
    if _json_wanted(request):
        try:
            data, _raw = json_body(request, where="the chat desk")
        except BadBody as exc:
            return exc.response
        text = data.get("text") if isinstance(data, dict) else None
        after = data.get("after", 0) if isinstance(data, dict) else 0
        if not isinstance(text, str) or not isinstance(after, int):
            return bad_request("the chat desk", "text must be a string and after a message id")
    else:
        text, after = request.POST.get("text", ""), 0
    try:
        said = services.operator_says(actor=staff_user(request), conversation_id=pk, text=text)
    except (MessageRefused, OperatorRefused) as exc:
        message = exc.message if isinstance(exc, MessageRefused) else str(exc)
        if _json_wanted(request):
            return problem(status=400 if isinstance(exc, MessageRefused) else 409, title=message)
        return _back(pk, error=message)
    services.deliver(said)
    if _json_wanted(request):
        return no_store(JsonResponse(_state(found, after)))
    return _back(pk)


def _back(pk: int, error: str = "") -> HttpResponse:
    response = redirect("chat_control:conversation", pk=pk)
    if error:
        response["Location"] += "?" + urlencode({"error": error})
    return response


def _action(request: HttpRequest, pk: int, run: Callable[[], services.Said]) -> HttpResponse:
    try:
        selectors.conversation_for_desk(user=staff_user(request), conversation_id=pk)
        said = run()
    except ConversationNotFound:
        return _not_found(request)
    except OperatorRefused as exc:
        return _back(pk, error=str(exc))
    services.deliver(said)
    return _back(pk)


@operators_only
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda: services.conversation_take(actor=staff_user(request), conversation_id=pk))


@operators_only
@require_POST
def hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        said = services.conversation_hand_back(actor=staff_user(request), conversation_id=pk)
    except OperatorRefused as exc:
        return _back(pk, error=str(exc))
    except Conversation.DoesNotExist:
        return _not_found(request)
    services.deliver(said)
    return redirect("chat_control:desk")


@operators_only
@require_POST
def file(request: HttpRequest, pk: int) -> HttpResponse:
    base = request.build_absolute_uri("/")
    return _action(
        request, pk, lambda: services.conversation_file(actor=staff_user(request), conversation_id=pk, base_url=base)
    )


@operators_only
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda: services.conversation_close(actor=staff_user(request), conversation_id=pk))


@operators_only
@require_POST
def typing(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        selectors.conversation_for_desk(user=staff_user(request), conversation_id=pk)
    except ConversationNotFound:
        return _not_found(request)
    services.operator_typing(actor=staff_user(request), conversation_id=pk)
    return HttpResponse(status=204)
