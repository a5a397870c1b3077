"""SafetiPin's nine audit parameters and their 0–3 scale, in one place for the form, the services,
the staff summary and the map.

Each parameter is rated 0 (poor) … 3 (good); "feeling" is 0 = very unsafe … 3 = safe and is the
only one a walker must give. The perceived-insecurity index speaks the 1–5 safety scale of the
"I feel unsafe here" reports (1 = very unsafe … 5 = safe), so a feeling f becomes the score
1 + 4·f/3 — linear, with the ends matched (0 → 1, 1 → 2.33, 2 → 3.67, 3 → 5) — see
`feeling_to_safety_score`. The other eight parameters describe the place; they do not feed the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise

MIN_RATING, MAX_RATING = 0, 3
FEELING = "feeling"


@dataclass(frozen=True)
class Parameter:
    code: str
    label: Promise
    question: Promise
    levels: tuple[Promise, Promise, Promise, Promise]  # what 0, 1, 2 and 3 mean for this parameter


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("lighting", _("Lighting"), _("How well lit is it?"), (_("No light"), _("Dim"), _("Enough"), _("Bright"))),
    Parameter(
        "openness",
        _("Openness"),
        _("Can you see around you, and find a way out?"),
        (_("Closed in"), _("Partly"), _("Mostly open"), _("Fully open")),
    ),
    Parameter(
        "visibility",
        _("Visibility"),
        _("Do windows, doors or shops look onto the street?"),
        (_("None"), _("A few"), _("Some"), _("Many")),
    ),
    Parameter(
        "people", _("People"), _("How many people are around?"), (_("Deserted"), _("A few"), _("Some"), _("Crowded"))
    ),
    Parameter(
        "security",
        _("Security"),
        _("Are police, guards or staff present?"),
        (_("None"), _("A little"), _("Some"), _("Plenty")),
    ),
    Parameter(
        "walk_path", _("Walk path"), _("Is the pavement good to walk on?"), (_("None"), _("Poor"), _("Fair"), _("Good"))
    ),
    Parameter(
        "public_transport",
        _("Public transport"),
        _("How close is a bus, tram or train stop?"),
        (_("None"), _("Far"), _("Near"), _("Very near")),
    ),
    Parameter(
        "gender_usage",
        _("Gender usage"),
        _("Are women and children around?"),
        (_("None"), _("A few"), _("Some"), _("Many")),
    ),
    Parameter(
        FEELING,
        _("Feeling"),
        _("How safe do you feel here?"),
        (_("Very unsafe"), _("Unsafe"), _("Fairly safe"), _("Safe")),
    ),
)
CODES: tuple[str, ...] = tuple(p.code for p in PARAMETERS)
OPTIONAL: tuple[str, ...] = tuple(c for c in CODES if c != FEELING)
BY_CODE = {p.code: p for p in PARAMETERS}


def feeling_to_safety_score(feeling: float) -> float:
    """SafetiPin's feeling 0–3 on the index's 1–5 safety scale, linearly: 1 + 4·f/3."""
    if not MIN_RATING <= feeling <= MAX_RATING:
        raise ValueError("a feeling goes from 0 (very unsafe) to 3 (safe)")
    return 1.0 + 4.0 * float(feeling) / MAX_RATING
