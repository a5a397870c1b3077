"""Fixtures for the business community: a community coordinated by the cyber desk, businesses in
each state, coordinators, and a real local SMTP server that refuses some recipients."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.community.models import Business, Community
from streetlight.community.selectors import hash_token
from streetlight.reports.models import Area
from streetlight.routing.models import Agency
from tests.staff import member

CAP_XSD = "/work/shared/standards/cap/CAP-v1.2.xsd"


@pytest.fixture
def community() -> Community:
    agency = Agency.objects.get(code="cyber-desk")
    community = Community.objects.create(code="port", name="Port businesses", agency=agency)
    area = Area.objects.order_by("code").first()
    assert area is not None
    community.areas.add(area)
    return community


def make_business(
    community: Community, name: str, *, language: str = "en", status: str = "active", email: str | None = None
) -> tuple[Business, str]:
    """A business as registration and confirmation leave it; returns it with its page token."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    confirmed = status != "pending"
    business = Business.objects.create(
        community=community,
        name=name,
        sector="retail",
        size="micro",
        area=community.areas.first(),
        contact_name=f"Contact of {name}",
        contact_email=email or f"{name.lower().replace(' ', '-')}@example.org",
        language=language,
        status=status,
        page_token=token,
        page_token_hash=hash_token(token),
        registered_at=now,
        confirmed_at=now if confirmed else None,
        left_at=now if status == "left" else None,
    )
    return business, token


@pytest.fixture
def coordinator() -> User:
    return member("cyber-desk", "operator")


@dataclass
class RefusingHandler:
    """Accepts everyone except addresses starting with "bounce", which get a 550."""

    messages: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def smtp_settings(port: int) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server() -> Iterator[RefusingHandler]:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    handler = RefusingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(MAILERS=smtp_settings(port)):
            yield handler
    finally:
        controller.stop()
