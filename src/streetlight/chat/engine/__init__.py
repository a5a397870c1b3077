"""The chat assistant's conversation engine: plain rules and gettext templates over the report form's
questions, no external AI service. Pure functions of a State and an Inbound message; the services
store the state and carry out the Turn's action (filing the report, calling an operator)."""

from .draft import consents_answered, draft_from
from .flow import advance, begin, correct, restart, resume
from .keywords import asks_for_human, is_leave_queue
from .questions import DONE, PRIVATE_STEPS, SUMMARY, ask
from .types import Action, Inbound, Option, Reply, State, Turn

__all__ = [
    "DONE",
    "PRIVATE_STEPS",
    "SUMMARY",
    "Action",
    "Inbound",
    "Option",
    "Reply",
    "State",
    "Turn",
    "advance",
    "ask",
    "asks_for_human",
    "begin",
    "consents_answered",
    "correct",
    "draft_from",
    "is_leave_queue",
    "restart",
    "resume",
]
