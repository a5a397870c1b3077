"""Words for triage's codes on operators' screens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "en": _("English"),
    "fr": _("French"),
    "nl": _("Dutch"),
    "it": _("Italian"),
    "es": _("Spanish"),
    "de": _("German"),
    "other": _("another language or too short to tell"),
}

CUE_LABELS = {
    "danger_now": _("danger now"),
    "weapon": _("weapon"),
    "injury": _("injury"),
    "ongoing": _("happening now"),
    "violence": _("violence"),
    "child": _("a child"),
    "repeat_victim": _("repeat victim"),
    "sexual_violence": _("sexual violence"),
    "threat_to_life": _("threat to life"),
}

REDACTION_LABELS = {
    "email": _("e-mail address"),
    "phone": _("phone number"),
    "iban": _("bank account (IBAN)"),
    "plate": _("licence plate"),
    "address": _("home address"),
    "url": _("web address"),
    "number": _("long number"),
}


def screen_words() -> dict[str, dict[str, Any]]:
    return {"cue_labels": CUE_LABELS, "language_names": LANGUAGE_NAMES, "redaction_labels": REDACTION_LABELS}
