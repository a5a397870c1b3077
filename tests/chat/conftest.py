"""Chat fixtures: a resident talking to the web widget's API through Django's test client, and the
messaging channels' settings pointing at local fake servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from streetlight.chat.models import Conversation


class Resident:
    """One browser: the widget's cookie lives in the client."""

    def __init__(self, client: Client, language: str = "en") -> None:
        self.client = client
        self.language = language
        self.after = 0
        self.last: dict[str, Any] = {}

    def _post(self, body: dict[str, Any], status: int = 200) -> list[dict[str, Any]]:
        body = {**body, "after": self.after, "language": self.language}
        resp = self.client.post("/chat/api/messages", data=json.dumps(body), content_type="application/json")
        assert resp.status_code == status, resp.content
        if status != 200:
            return [resp.json()]
        self.last = resp.json()
        for message in self.last["messages"]:
            self.after = max(self.after, message["id"])
        return [m for m in self.last["messages"] if m["sender"] != "resident"]

    def start(self) -> list[dict[str, Any]]:
        return self._post({"start": True})

    def say(self, text: str, status: int = 200) -> list[dict[str, Any]]:
        return self._post({"text": text}, status)

    def choose(self, value: str, **extra: Any) -> list[dict[str, Any]]:
        return self._post({"choice": value, **extra})

    def poll(self) -> list[dict[str, Any]]:
        resp = self.client.get(f"/chat/api/messages?after={self.after}")
        assert resp.status_code == 200
        messages = resp.json()["messages"]
        for message in messages:
            self.after = max(self.after, message["id"])
        return messages

    @property
    def conversation(self) -> Conversation:
        return Conversation.objects.order_by("-pk").first()  # type: ignore[return-value]

    @property
    def step(self) -> str:
        return str(self.last["conversation"]["step"])


def options(messages: list[dict[str, Any]]) -> list[str]:
    return [o["value"] for o in messages[-1]["quick_replies"]] if messages else []


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages)


@pytest.fixture
def resident(db: None) -> Iterator[Any]:
    def make(language: str = "en") -> Resident:
        return Resident(Client(), language)

    yield make
