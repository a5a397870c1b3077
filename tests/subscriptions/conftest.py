"""Real local servers for the subscription tests: an SMTP server (aiosmtpd) that refuses chosen
recipients, an HTTP receiver that checks webhook signatures, and a runner for our queued tasks."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from streetlight.notify.signing import verify

TASK_PREFIX = "streetlight.subscriptions.tasks."


class RefusingHandler:
    """Accepts every recipient but the refused ones (550 at RCPT TO), and keeps what it got."""

    def __init__(self) -> None:
        self.refused: set[str] = set()
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp() -> Iterator[RefusingHandler]:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    handler = RefusingHandler()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailers = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5},
            }
        }
        with override_settings(MAILERS=mailers):
            yield handler
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    """Text and HTML parts, decoded, for content checks."""
    parts = [p.get_payload(decode=True) for p in message.walk() if p.get_content_maintype() == "text"]
    return "\n".join(p.decode() for p in parts if isinstance(p, bytes))


class Receiver:
    """A partner's endpoint: answers 503 to the first `failures` calls, then checks the signature."""

    def __init__(self, secret: str, failures: int = 0) -> None:
        self.secret, self.failures = secret, failures
        self.calls: list[dict[str, Any]] = []
        self.verified: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"headers": dict(self.headers), "body": body})
                if len(receiver.calls) <= receiver.failures:
                    code = 503
                elif verify(receiver.secret, body, self.headers.get("Streetlight-Signature", "")):
                    receiver.verified.append(json.loads(body))
                    code = 204
                else:
                    code = 401
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/streetlight"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def make_receiver() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(secret: str, failures: int = 0) -> Receiver:
        made.append(Receiver(secret, failures))
        return made[-1]

    yield make
    for r in made:
        r.server.shutdown()


def run_tasks() -> int:
    """Run our queued tasks that are due, as `streetlight worker` would, until none is left; later
    retries stay queued (tests never sleep). Other apps' tasks are left alone."""
    ran = 0
    while True:
        due = list(DBTaskResult.objects.ready().filter(task_path__startswith=TASK_PREFIX).order_by("enqueued_at"))
        if not due:
            return ran
        for row in due:
            row.claim("tests")
            row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            row.set_successful(None)
            ran += 1
