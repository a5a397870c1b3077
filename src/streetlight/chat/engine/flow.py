"""The conversation as a state machine over the report form's questions.

Each step has a question (`ask`) and a handler for the answer (`HANDLERS`); a handler stores the
answer in `state.answers` and moves on with `_goto`. Keywords that work at any step — "human",
"back", "restart" — are handled before the step's own handler."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from streetlight.reports.services.validation import CLOCK_SKEW

from . import catalog, keywords, texts
from .parsing import parse_date_time, parse_time
from .questions import (
    ALTERNATIVES,
    CONSENT,
    CONTACT,
    DESCRIBE,
    DONE,
    GROUPS,
    LANGUAGE,
    MAIN,
    SUB,
    SUGGEST,
    SUMMARY,
    URGENT,
    WHEN,
    WHEN_DATE,
    WHEN_TIME,
    WHERE,
    _languages,
    ask,
    options_of,
)
from .types import Action, Inbound, State, Turn


def _goto(state: State, step: str, turn: Turn) -> None:
    fixing = state.answers.get("fixing")
    if fixing and GROUPS.get(step, 0) > GROUPS.get(fixing, 0):
        step = SUMMARY
        state.answers.pop("fixing", None)
    trail: list[str] = state.answers.setdefault("trail", [])
    if step != state.step and state.step not in (DONE, "start", URGENT):
        trail.append(state.step)
    state.step = step
    for reply in ask(state, step):
        turn.say(reply)


def begin(state: State, *, first_text: str = "") -> Turn:
    """The greeting. With a language, straight to "what happened?" — or, when the first message
    already tells the story, on with it; without one, the language question."""
    turn = Turn()
    if state.step == LANGUAGE or state.language not in _languages():
        state.step = LANGUAGE
        turn.replies += ask(state, LANGUAGE)
        return turn
    turn.say(texts.greeting())
    state.step = DESCRIBE
    if keywords.asks_for_human(first_text):
        turn.action, turn.reason = Action.HANDOVER, "asked"
        return turn
    if len(first_text.split()) >= 5:
        return _describe(state, first_text, turn)
    turn.replies += ask(state, DESCRIBE)
    return turn


def advance(state: State, inbound: Inbound) -> Turn:
    turn = Turn()
    text = inbound.text.strip()
    if not inbound.choice and keywords.asks_for_human(text):
        turn.action, turn.reason = Action.HANDOVER, "asked"
        return turn
    if not inbound.choice and keywords.is_restart(text):
        return restart(state)
    if inbound.choice == "restart":
        return restart(state)
    if inbound.choice == "back" or (not inbound.choice and keywords.is_back(text)):
        return _back(state)
    choice = inbound.choice
    if not choice and text:
        choice = keywords.pick_option(text, options_of(state)) or ""
    handler = HANDLERS.get(state.step)
    if handler is None:
        return restart(state) if state.step == DONE else begin(state)
    handler(state, inbound, choice, turn)
    return turn


def restart(state: State) -> Turn:
    turn = Turn()
    state.answers = {}
    state.step = DESCRIBE
    turn.say(texts.restarted())
    turn.replies += ask(state, DESCRIBE)
    return turn


def resume(state: State) -> Turn:
    """Ask the current question again (after an operator handed the conversation back)."""
    turn = Turn()
    if state.step == URGENT:  # the resident accepted an operator instead of answering on
        _suggest(state, turn)
    else:
        turn.replies += ask(state, state.step if state.step in GROUPS else DESCRIBE)
    return turn


def correct(state: State, errors: dict[str, str]) -> Turn:
    """A submission refused by the report service: say why and ask that question again."""
    field, message = next(iter(errors.items()))
    step = _step_for_field(field)
    turn = Turn()
    turn.say(texts.invalid_answer(message))
    state.answers["fixing"] = step
    state.step = step
    turn.replies += ask(state, step)
    return turn


def _step_for_field(field: str) -> str:
    if field == "category":
        return MAIN
    if field == "description":
        return DESCRIBE
    if field in {"when", "occurred_from", "occurred_to"}:
        return WHEN
    if field.startswith("contact") or field == "consent.contact":
        return CONTACT
    if field.startswith("consent"):
        return CONSENT["police"]
    if field in {"lat", "lon", "area", "location", "precision_m", "address"}:
        return WHERE
    return SUMMARY


def _back(state: State) -> Turn:
    turn = Turn()
    trail: list[str] = state.answers.get("trail", [])
    if not trail:
        turn.say(texts.nothing_to_go_back_to())
        turn.replies += ask(state, state.step)
        return turn
    state.step = trail.pop()
    turn.replies += ask(state, state.step)
    return turn


def _again(state: State, turn: Turn, message: str) -> None:
    turn.say(message)
    turn.replies += ask(state, state.step)


# Step handlers: (state, inbound, the option picked or "", turn).

Handler = Callable[[State, Inbound, str, Turn], None]


def _on_language(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    code = choice if choice in _languages() else catalog.language_of(inbound.text)
    if code not in _languages():
        _again(state, turn, texts.not_understood_option())
        return
    state.language = code
    from django.utils import translation

    with translation.override(code):
        turn.say(texts.greeting())
        state.step = DESCRIBE
        turn.replies += ask(state, DESCRIBE)


def _describe(state: State, text: str, turn: Turn) -> Turn:
    if not text:
        _again(state, turn, texts.empty_text())
        return turn
    state.answers["description"] = text
    level = catalog.urgency(text, state.language)
    state.answers["urgency"] = level
    if level in {"immediate", "high"} and not state.answers.get("fixing"):
        _goto(state, URGENT, turn)
        return turn
    _suggest(state, turn)
    return turn


def _on_describe(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    _describe(state, inbound.text.strip(), turn)


def _suggest(state: State, turn: Turn) -> None:
    if state.answers.get("fixing") == DESCRIBE:
        _goto(state, SUMMARY, turn)
        return
    suggested = catalog.suggest(state.answers.get("description", ""))
    state.answers["suggestions"] = suggested.codes
    state.answers["suggested_top"] = suggested.confident
    if suggested.confident:
        _goto(state, SUGGEST, turn)
    elif suggested.codes:
        _goto(state, ALTERNATIVES, turn)
    else:
        _goto(state, MAIN, turn)


def _on_urgent(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "yes" or keywords.is_yes(inbound.text):
        turn.action, turn.reason = Action.HANDOVER, "urgency"
        return
    if choice == "no" or keywords.is_no(inbound.text):
        _suggest(state, turn)
        return
    _again(state, turn, texts.not_understood_yes_no())


def _chosen(state: State, code: str, turn: Turn) -> None:
    state.answers["category"] = code
    if data := catalog.guidance(code):
        turn.say(texts.guidance(catalog.name(code), data))
    _goto(state, WHEN, turn)


def _on_suggest(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "yes" or keywords.is_yes(inbound.text):
        _chosen(state, state.answers["suggestions"][0], turn)
    elif choice == "no" or keywords.is_no(inbound.text):
        _goto(state, ALTERNATIVES if len(state.answers.get("suggestions", [])) > 1 else MAIN, turn)
    else:
        _again(state, turn, texts.not_understood_yes_no())


def _on_alternatives(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "other":
        _goto(state, MAIN, turn)
    elif choice and catalog.exists(choice):
        _chosen(state, choice, turn)
    else:
        _again(state, turn, texts.not_understood_option())


def _on_main(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if not choice or not catalog.exists(choice):
        _again(state, turn, texts.not_understood_option())
        return
    state.answers["main"] = choice
    if catalog.sub_options(choice):
        _goto(state, SUB, turn)
    else:
        _chosen(state, choice, turn)


def _on_sub(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "none":
        _chosen(state, state.answers.get("main", ""), turn)
    elif choice and catalog.exists(choice):
        _chosen(state, choice, turn)
    else:
        _again(state, turn, texts.not_understood_option())


def _on_when(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "now" or keywords.is_now(inbound.text):
        state.answers["when"] = {"kind": "now"}
        _goto(state, WHERE, turn)
    elif choice == "today":
        _goto(state, WHEN_TIME, turn)
    elif choice == "other":
        _goto(state, WHEN_DATE, turn)
    elif (at := parse_time(inbound.text, today=timezone.localdate())) is not None:
        _happened_at(state, at, turn)
    else:
        _again(state, turn, texts.not_understood_option())


def _on_when_time(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    at = parse_time(inbound.text, today=timezone.localdate())
    if at is None:
        _again(state, turn, texts.not_understood_time())
        return
    _happened_at(state, at, turn)


def _on_when_date(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    at = parse_date_time(inbound.text, today=timezone.localdate())
    if at is None:
        _again(state, turn, texts.not_understood_date())
        return
    _happened_at(state, at, turn)


def _happened_at(state: State, at: datetime, turn: Turn) -> None:
    """Keep a moment that has passed; a later one is asked again here, where the resident can fix it,
    rather than refused by the report service after the consent questions. Just after midnight,
    "earlier today, 23:40" most likely means last night, so the day question comes back too."""
    now = timezone.localtime()
    if at <= now + CLOCK_SKEW:
        state.answers["when"] = {"kind": "at", "at": at.isoformat()}
        _goto(state, WHERE, turn)
    elif state.step == WHEN_DATE:
        _again(state, turn, texts.moment_not_yet())
    else:
        state.step = WHEN
        _again(state, turn, texts.time_not_yet(now))


def _on_where(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    text = inbound.text.strip()
    if choice == "location" and inbound.lat is not None and inbound.lon is not None:
        accuracy = round(inbound.accuracy) if inbound.accuracy else None
        state.answers["where"] = {"kind": "point", "lat": inbound.lat, "lon": inbound.lon, "precision": accuracy}
    elif choice == "skip" or keywords.is_skip(text):
        state.answers["where"] = {"kind": "none"}
    elif text and not choice:
        area = catalog.area_code(text)
        state.answers["where"] = (
            {"kind": "area", "area": area, "address": text}
            if area
            else {
                "kind": "none",
                "address": text[:300],
            }
        )
    else:
        _again(state, turn, texts.not_understood_option())
        return
    _goto(state, CONSENT["police"], turn)


def _on_consent(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    key = state.step.removeprefix("consent_")
    if choice == "yes" or keywords.is_yes(inbound.text):
        answer = True
    elif choice == "no" or keywords.is_no(inbound.text):
        answer = False
    else:
        _again(state, turn, texts.not_understood_yes_no())
        return
    state.answers.setdefault("consent", {})[key] = answer
    keys = list(texts.CONSENTS)
    if key != keys[-1]:
        _goto(state, CONSENT[keys[keys.index(key) + 1]], turn)
    elif state.answers["consent"].get("contact"):
        _goto(state, CONTACT, turn)
    else:
        state.answers.pop("contact", None)
        _goto(state, SUMMARY, turn)


def _on_contact(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    text = inbound.text.strip()
    if choice == "skip" or keywords.is_skip(text):
        state.answers.pop("contact", None)
    elif text:
        state.answers["contact"] = {"email": text} if "@" in text else {"phone": text}
    else:
        _again(state, turn, texts.empty_text())
        return
    _goto(state, SUMMARY, turn)


def _on_summary(state: State, inbound: Inbound, choice: str, turn: Turn) -> None:
    if choice == "yes" or keywords.is_yes(inbound.text):
        turn.action = Action.SUBMIT
    elif choice == "no" or keywords.is_no(inbound.text):
        _goto(state, state.answers.get("trail", [DESCRIBE])[-1], turn)
    else:
        _again(state, turn, texts.not_understood_option())


HANDLERS: dict[str, Handler] = {
    LANGUAGE: _on_language,
    DESCRIBE: _on_describe,
    URGENT: _on_urgent,
    SUGGEST: _on_suggest,
    ALTERNATIVES: _on_alternatives,
    MAIN: _on_main,
    SUB: _on_sub,
    WHEN: _on_when,
    WHEN_TIME: _on_when_time,
    WHEN_DATE: _on_when_date,
    WHERE: _on_where,
    **dict.fromkeys(CONSENT.values(), _on_consent),
    CONTACT: _on_contact,
    SUMMARY: _on_summary,
}
