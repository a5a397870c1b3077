"""Reading JSON bodies for the chat endpoints: a hard ceiling (413) before anything is parsed, and a
clear 400 with the reason for anything malformed — logged, never a 500."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from streetlight.core.problems import problem

from . import conf

logger = logging.getLogger("streetlight.chat")


class BadBody(Exception):
    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def json_body(request: HttpRequest, *, where: str) -> tuple[Any, bytes]:
    """The parsed body and its bytes (for signatures), or BadBody carrying a 413 or 400 problem answer."""
    limit = conf.number("MAX_BODY_BYTES")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        logger.info("chat: %s refused a body of %d bytes (limit %d)", where, declared, limit)
        raise BadBody(problem(status=413, title="The request is too large.", detail=f"Send at most {limit} bytes."))
    try:
        body = request.body
    except RequestDataTooBig:
        body = b"x" * (limit + 1)
    if len(body) > limit:
        logger.info("chat: %s refused a body over %d bytes", where, limit)
        raise BadBody(problem(status=413, title="The request is too large.", detail=f"Send at most {limit} bytes."))
    try:
        return json.loads(body.decode("utf-8")), body
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        logger.info("chat: %s got malformed JSON: %s", where, exc)
        raise BadBody(problem(status=400, title="The body is not valid JSON.", detail=str(exc)[:200])) from exc


def bad_request(where: str, reason: str) -> HttpResponse:
    logger.info("chat: %s refused a payload: %s", where, reason)
    return problem(status=400, title="The payload does not follow the contract.", detail=reason)


def no_store(response: JsonResponse | HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
