"""Every sentence the assistant says, as gettext templates. The caller has already switched to the
conversation's language (translation.override), so these only pick and fill the right sentence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .types import Option, Reply

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "it": "Italiano", "es": "Español"}


def _city() -> dict[str, str]:
    return {"city": settings.STREETLIGHT["CITY_NAME"], "number": settings.STREETLIGHT["EMERGENCY_NUMBER"]}


def yes_no() -> list[Option]:
    return [Option("yes", _("Yes")), Option("no", _("No"))]


def greeting() -> str:
    return (
        _(
            "Hello! I am the assistant of Streetlight %(city)s. I will ask you the questions of the report "
            "form, one at a time. You can stay anonymous and you decide who receives your report. In danger "
            "now? Call %(number)s. Type “human” at any time to talk to a person from the control room."
        )
        % _city()
    )


def ask_language(codes: list[str]) -> Reply:
    return Reply(
        _("Which language would you like to use?"),
        [Option(code, LANGUAGE_NAMES.get(code, code)) for code in codes],
    )


def ask_describe() -> Reply:
    return Reply(_("What happened? Tell me in your own words."))


def offer_operator_urgent() -> Reply:
    return Reply(
        _(
            "If you are in danger now, call %(number)s right away. Would you like to talk to a person "
            "from the control room now?"
        )
        % _city(),
        yes_no(),
    )


def ask_suggestion(name: str) -> Reply:
    return Reply(_("It sounds like %(category)s — is that right?") % {"category": name}, yes_no())


def ask_alternatives(options: list[Option]) -> Reply:
    return Reply(_("Which of these fits best?"), [*options, Option("other", _("Something else"))])


def ask_main(options: list[Option]) -> Reply:
    return Reply(_("What is it about? Choose the closest."), options)


def ask_sub(options: list[Option]) -> Reply:
    return Reply(_("Which one exactly?"), [*options, Option("none", _("None of these"))])


def guidance(name: str, data: dict[str, Any]) -> str:
    lines = [_("About %(category)s:") % {"category": name}]
    if data.get("what_to_do_now"):
        lines.append(_("What you can do now:"))
        lines += [f"• {step}" for step in data["what_to_do_now"]]
    if data.get("support"):
        lines.append(_("Who can help:"))
        for service in data["support"]:
            state = _("open now") if service.get("open_now") else _("closed now")
            phone = f" — {service['phone']}" if service.get("phone") else ""
            lines.append(f"• {service['name']}{phone} ({state})")
    return "\n".join(lines)


def ask_when() -> Reply:
    return Reply(
        _("When did it happen?"),
        [Option("now", _("Now")), Option("today", _("Earlier today")), Option("other", _("Another day"))],
    )


def ask_when_time() -> Reply:
    return Reply(_("At about what time? For example 21:30."))


def ask_when_date() -> Reply:
    return Reply(_("Which day, and at about what time? For example 14/03 21:30 (day/month, then the time)."))


def ask_where(*, can_locate: bool) -> Reply:
    options = [Option("location", _("Share my location"))] if can_locate else []
    return Reply(
        _("Where did it happen? Type a street, a place or a landmark."),
        [*options, Option("skip", _("I'd rather not say"))],
    )


def consent_intro() -> str:
    return _("Now you decide who receives your report. I will ask you one question at a time.")


CONSENTS = ("police", "victim_support", "social_services", "city", "contact", "public_statistics")


def ask_consent(key: str) -> Reply:
    questions = {
        "police": _("May we share your report with the police?"),
        "victim_support": _("May we share it with victim support, who can offer you help?"),
        "social_services": _("May we share it with social services?"),
        "city": _("May we share it with the city's services?"),
        "contact": _("May we contact you about this report?"),
        "public_statistics": _("May we count your report, anonymously, in public statistics?"),
    }
    return Reply(questions[key], yes_no())


def ask_contact() -> Reply:
    return Reply(
        _("How can we reach you? Type an e-mail address or a phone number."),
        [Option("skip", _("Skip"))],
    )


def recipients_text(consent: dict[str, bool]) -> str:
    names = {
        "police": _("the police"),
        "victim_support": _("victim support"),
        "social_services": _("social services"),
        "city": _("the city"),
    }
    chosen = [names[key] for key in names if consent.get(key)]
    return ", ".join(chosen) if chosen else _("nobody (statistics only)")


def summary(lines: list[tuple[str, str]], *, private: bool) -> Reply:
    body = "\n".join(f"{label}: {value}" for label, value in lines)
    return Reply(
        _("Here is your report:") + "\n" + body + "\n" + _("Shall I send it?"),
        [Option("yes", _("Send it")), Option("back", _("Go back")), Option("restart", _("Start again"))],
        private=private,
    )


def filed(reference: str) -> str:
    return _("Thank you. Your report has been sent. Its reference is %(reference)s.") % {"reference": reference}


def followup_link(link: str) -> str:
    return _("Keep this link to follow your report and add information: %(link)s") % {"link": link}


def after_filing() -> str:
    return _("If you need help now, call %(number)s. Type “restart” to report something else.") % _city()


def handover_waiting() -> str:
    return (
        _(
            "I am asking a person from the control room to join. Please stay here; it can take a few "
            "minutes. In danger now? Call %(number)s. Type “continue” to go on with me meanwhile."
        )
        % _city()
    )


def still_waiting() -> str:
    return _("A person from the control room will join soon. Type “continue” to go on with me meanwhile.")


def operator_joined(name: str) -> str:
    return _("%(name)s, an operator from the control room, joined the conversation.") % {"name": name}


def handed_back() -> str:
    return _("The operator handed the conversation back to me. Let's go on where we stopped.")


def closed() -> str:
    return _("This conversation has ended. Thank you. Type a message to start a new one.")


def not_understood_yes_no() -> str:
    return _("Please answer yes or no.")


def not_understood_option() -> str:
    return _("Please choose one of the options; you can also type its number.")


def not_understood_time() -> str:
    return _("I did not understand the time. Write it like 21:30.")


def time_not_yet(now: datetime) -> str:
    return _("It is only %(now)s: that time has not come yet today. If it was yesterday, choose “%(other)s”.") % {
        "now": f"{now:%H:%M}",
        "other": _("Another day"),
    }


def moment_not_yet() -> str:
    return _("That moment has not come yet. Write the day and time it happened, like 14/03 21:30.")


def not_understood_date() -> str:
    return _("I did not understand the day. Write it like 14/03 21:30.")


def nothing_to_go_back_to() -> str:
    return _("This is the first question.")


def restarted() -> str:
    return _("Let's start again.")


def empty_text() -> str:
    return _("Please type a message.")


def too_long(limit: int) -> str:
    return _("Your message is too long: at most %(n)d characters. Please shorten it.") % {"n": limit}


def invalid_answer(message: str) -> str:
    return _("Something needs correcting: %(problem)s") % {"problem": message}


def summary_labels() -> dict[str, str]:
    return {
        "category": _("What"),
        "description": _("In your words"),
        "when": _("When"),
        "where": _("Where"),
        "shared": _("Shared with"),
        "contact": _("May we contact you"),
        "stats": _("Public statistics (anonymous)"),
        "now": _("now"),
        "nowhere": _("not given"),
        "yes": _("yes"),
        "no": _("no"),
    }
