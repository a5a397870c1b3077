"""A ceiling on request bodies, in front of Django.

Django caps form fields (`DATA_UPLOAD_MAX_MEMORY_SIZE`) and our forms cap each photo, but under ASGI
Django first spools the whole body to a temporary file: an endless chunked upload would fill the
disk before any check ran. This wrapper counts bytes as they arrive and answers 413 at the limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
# Answers made here never pass Django's security middleware: they carry its safeguards themselves.
SAFEGUARDS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
]


class BodyTooLarge(Exception):
    pass


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "The request is too large.",
            "status": 413,
            "detail": f"Send at most {limit // (1024 * 1024)} MB: fewer or smaller photos.",
        }
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *SAFEGUARDS,
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def body_limit(app: App, *, max_bytes: Callable[[], int]) -> App:
    """Wrap an ASGI app; `max_bytes` is read per request so settings changes apply."""

    async def limited_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = max_bytes()
        if _declared_length(scope) > limit:
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watching_send(message: Mapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, limit)

    return limited_app
