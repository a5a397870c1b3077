"""Urgency cues in a report's text: is someone in danger now, armed, hurt, a child, a repeat victim?

Hand-written word lists in English, French, Dutch, Italian, Spanish and German, matched on an
accent-folded lowercase copy of the text (so "blessé", "blesse" and "BLESSÉ" are one word) with
word boundaries and stems for inflections. Every cue keeps its span in the ORIGINAL text so an
operator screen can highlight exactly the words that raised the alarm. Rules, not a model: an
operator must be able to see why a report jumped the queue, and a list can be fixed the day a
false alarm is noticed.

Layout: `cues` (kinds, weights, result types), `words` (the lists, one module per language) and
`assess` (the matching and the level rule).
"""

from .assess import MAX_CHARS, NEGATION_WINDOW, assess_urgency
from .cues import HARM_KINDS, WEIGHTS, Cue, CueKind, Urgency, UrgencyLevel

__all__ = [
    "HARM_KINDS",
    "MAX_CHARS",
    "NEGATION_WINDOW",
    "WEIGHTS",
    "Cue",
    "CueKind",
    "Urgency",
    "UrgencyLevel",
    "assess_urgency",
]
