"""The engine's plain data: what it receives, what it says and what it asks the caller to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Option:
    value: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class Reply:
    text: str
    options: list[Option] = field(default_factory=list)
    private: bool = False


@dataclass(frozen=True)
class Inbound:
    """A resident's message: typed text, or a quick reply's value (with a position for "location")."""

    text: str = ""
    choice: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy: float | None = None


class Action(StrEnum):
    NONE = "none"
    SUBMIT = "submit"
    HANDOVER = "handover"


@dataclass
class State:
    """What the engine reads and changes; the service copies it from and back to the Conversation."""

    language: str
    step: str
    answers: dict[str, Any]
    channel: str = "web"


@dataclass
class Turn:
    replies: list[Reply] = field(default_factory=list)
    action: Action = Action.NONE
    reason: str = ""

    def say(self, reply: Reply | str) -> None:
        self.replies.append(reply if isinstance(reply, Reply) else Reply(reply))
