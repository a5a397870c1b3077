"""The questions of each step, with their quick replies, and the summary before sending."""

from __future__ import annotations

from typing import Any

from . import catalog, texts
from .types import Option, Reply, State

LANGUAGE = "language"
DESCRIBE = "describe"
URGENT = "urgent"
SUGGEST = "suggest"
ALTERNATIVES = "alternatives"
MAIN = "main"
SUB = "sub"
WHEN = "when"
WHEN_TIME = "when_time"
WHEN_DATE = "when_date"
WHERE = "where"
CONSENT = {key: f"consent_{key}" for key in texts.CONSENTS}
CONTACT = "contact"
SUMMARY = "summary"
DONE = "done"

# Steps grouped by the question of the form they answer: a correction after a refused submission
# goes back to the summary once its group is answered.
GROUPS: dict[str, int] = {
    LANGUAGE: 0,
    DESCRIBE: 1,
    URGENT: 2,
    SUGGEST: 2,
    ALTERNATIVES: 2,
    MAIN: 2,
    SUB: 2,
    WHEN: 3,
    WHEN_TIME: 3,
    WHEN_DATE: 3,
    WHERE: 4,
    **{step: 5 + i for i, step in enumerate(CONSENT.values())},
    CONTACT: 11,
    SUMMARY: 12,
    DONE: 13,
}
PRIVATE_STEPS = frozenset({CONTACT})


def ask(state: State, step: str) -> list[Reply]:
    """The question of `step`, with its quick replies."""
    a = state.answers
    if step == LANGUAGE:
        return [texts.ask_language(_languages())]
    if step == DESCRIBE:
        return [texts.ask_describe()]
    if step == URGENT:
        return [texts.offer_operator_urgent()]
    if step == SUGGEST:
        return [texts.ask_suggestion(catalog.name(a["suggestions"][0]))]
    if step == ALTERNATIVES:
        codes = a.get("suggestions", [])[1:4] if a.get("suggested_top") else a.get("suggestions", [])[:3]
        return [texts.ask_alternatives([Option(code, catalog.name(code)) for code in codes])]
    if step == MAIN:
        return [texts.ask_main(catalog.main_options())]
    if step == SUB:
        return [texts.ask_sub(catalog.sub_options(a.get("main", "")))]
    if step == WHEN:
        return [texts.ask_when()]
    if step == WHEN_TIME:
        return [texts.ask_when_time()]
    if step == WHEN_DATE:
        return [texts.ask_when_date()]
    if step == WHERE:
        return [texts.ask_where(can_locate=state.channel == "web")]
    if step in CONSENT.values():
        key = step.removeprefix("consent_")
        intro = [Reply(texts.consent_intro())] if key == "police" and not a.get("fixing") else []
        return [*intro, texts.ask_consent(key)]
    if step == CONTACT:
        return [texts.ask_contact()]
    if step == SUMMARY:
        return [texts.summary(_summary_lines(a), private=bool(a.get("contact")))]
    return [Reply(texts.after_filing())]


def options_of(state: State) -> list[dict[str, str]]:
    """The quick replies of the current question (what a number or a label picks)."""
    replies = ask(state, state.step)
    return [o.as_dict() for o in replies[-1].options] if replies else []


def _languages() -> list[str]:
    from .. import conf

    return conf.languages()


def _summary_lines(a: dict[str, Any]) -> list[tuple[str, str]]:
    from .parsing import describe_when

    labels = texts.summary_labels()
    consent = a.get("consent", {})
    where = a.get("where", {})
    if where.get("kind") == "point":
        place = f"{where['lat']:.5f}, {where['lon']:.5f}"
    elif where.get("address"):
        place = where["address"]
    else:
        place = labels["nowhere"]
    description = a.get("description", "")
    contact = labels["yes" if consent.get("contact") else "no"]
    if consent.get("contact") and a.get("contact"):
        contact += " (" + next(iter(a["contact"].values())) + ")"
    return [
        (labels["category"], catalog.name(a.get("category", ""))),
        (labels["description"], description if len(description) <= 300 else description[:299] + "…"),
        (labels["when"], describe_when(a.get("when", {"kind": "now"}), now_label=labels["now"])),
        (labels["where"], place),
        (labels["shared"], texts.recipients_text(consent)),
        (labels["contact"], contact),
        (labels["stats"], labels["yes" if consent.get("public_statistics") else "no"]),
    ]
