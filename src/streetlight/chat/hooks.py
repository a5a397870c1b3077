"""Messaging-bot webhooks: the generic JSON contract, Telegram's Bot API and a Matrix application
service. Each checks its shared secret first, reads its payload through an adapter (400 with the
reason when malformed, logged), hands the text to the conversation and answers the way the platform
expects. Never a 500 for bad input. Thin: no ORM here."""

from __future__ import annotations

import hmac
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.core.problems import problem
from streetlight.notify import signing

from . import conf, services
from .adapters import PayloadInvalid, generic, matrix, telegram
from .http import BadBody, bad_request, json_body, no_store
from .models import Channel

logger = logging.getLogger("streetlight.chat")
SIGNATURE_HEADER = "Streetlight-Signature"


def _off(name: str) -> HttpResponse:
    logger.info("chat: a %s webhook call arrived but the channel is not configured", name)
    return problem(status=404, title="This channel is not configured.")


@csrf_exempt
@require_POST
def generic_hook(request: HttpRequest) -> HttpResponse:
    secret = conf.text("GENERIC_SECRET")
    if not secret:
        return _off("generic")
    try:
        data, raw = json_body(request, where="the generic webhook")
    except BadBody as exc:
        return exc.response
    if not signing.verify(secret, raw, request.headers.get(SIGNATURE_HEADER, "")):
        logger.info("chat: generic webhook call with a missing or wrong signature")
        return problem(status=401, title="The signature is missing, wrong or too old.")
    try:
        message = generic.parse_message(data)
    except PayloadInvalid as exc:
        return bad_request("the generic webhook", str(exc))
    said, refusal = services.messaging_receive(channel=Channel.GENERIC, message=message)
    if said is None:
        return problem(status=422, title=refusal, detail=refusal)
    replies = [
        {"text": m.text, "quick_replies": m.quick_replies, "from": m.sender, "operator": m.operator_name}
        for m in services.channels.pending_for_generic(said)
    ]
    return no_store(JsonResponse({"chat_id": message.chat_id, "status": said.conversation.status, "replies": replies}))


@csrf_exempt
@require_POST
def telegram_hook(request: HttpRequest, secret: str) -> HttpResponse:
    expected = conf.text("TELEGRAM_SECRET")
    if not expected or not conf.text("TELEGRAM_TOKEN"):
        return _off("Telegram")
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not (hmac.compare_digest(secret, expected) and hmac.compare_digest(header, expected)):
        logger.info("chat: Telegram webhook call with a wrong secret")
        return problem(status=401, title="Wrong secret token.")
    try:
        data, _raw = json_body(request, where="the Telegram webhook")
        update = telegram.parse_update(data)
    except BadBody as exc:
        return exc.response
    except PayloadInvalid as exc:
        return bad_request("the Telegram webhook", str(exc))
    if update is None or not services.first_delivery(channel=Channel.TELEGRAM, txn_id=update.event_id):
        return JsonResponse({"ok": True})  # not a text message, or a retry already handled
    said, refusal = services.messaging_receive(channel=Channel.TELEGRAM, message=update)
    if said is None:
        services.send_refusal(channel=Channel.TELEGRAM, chat_id=update.chat_id, text=refusal)
    else:
        services.deliver(said)
    return JsonResponse({"ok": True})


def _matrix_token(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth.removeprefix("Bearer ").strip()
    return request.GET.get("access_token", "")  # homeservers before Matrix 1.4 send it in the query


@csrf_exempt
@require_http_methods(["PUT"])
def matrix_transaction(request: HttpRequest, txn_id: str) -> HttpResponse:
    expected = conf.text("MATRIX_HS_TOKEN")
    if not expected:
        return _off("Matrix")
    token = _matrix_token(request)
    if not token:
        return JsonResponse({"errcode": "M_UNAUTHORIZED", "error": "No token"}, status=401)
    if not hmac.compare_digest(token, expected):
        logger.info("chat: Matrix transaction with a wrong homeserver token")
        return JsonResponse({"errcode": "M_FORBIDDEN", "error": "Wrong token"}, status=403)
    try:
        data, _raw = json_body(request, where="the Matrix webhook")
        events = matrix.parse_transaction(data, own_user=conf.text("MATRIX_USER_ID"))
    except BadBody as exc:
        return exc.response
    except PayloadInvalid as exc:
        return bad_request("the Matrix webhook", str(exc))
    if not services.first_delivery(channel=Channel.MATRIX, txn_id=txn_id):
        return JsonResponse({})  # the homeserver retried a transaction we already answered
    for event in events:
        said, refusal = services.messaging_receive(channel=Channel.MATRIX, message=event)
        if said is None:
            services.send_refusal(channel=Channel.MATRIX, chat_id=event.chat_id, text=refusal)
        else:
            services.deliver(said)
    return JsonResponse({})
