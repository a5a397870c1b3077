"""What an urgency cue is: the kinds, their weights in the score, and the results `assess_urgency` returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

CueKind = Literal[
    "danger_now",
    "ongoing",
    "weapon",
    "injury",
    "violence",
    "sexual_violence",
    "threat_to_life",
    "child",
    "repeat_victim",
]
UrgencyLevel = Literal["immediate", "high", "normal"]

#: Weight of each cue kind in Urgency.score (each kind counts once, however often it appears).
WEIGHTS: Final[Mapping[CueKind, float]] = {
    "danger_now": 5.0,
    "weapon": 3.0,
    "injury": 3.0,
    "sexual_violence": 3.0,
    "threat_to_life": 3.0,
    "violence": 2.0,
    "child": 1.5,
    "ongoing": 1.0,
    "repeat_victim": 1.0,
}
#: Kinds that describe harm done or threatened; any one of them makes a report at least "high".
HARM_KINDS: Final = frozenset({"weapon", "injury", "violence", "sexual_violence", "threat_to_life"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One kind of urgency cue found in a text: the words that raised it, as written, and their
    (start, end) spans in the original text, in text order (one span per entry of `words`)."""

    kind: CueKind
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Urgency:
    """How urgent a report looks, and the cues that say so: one per kind, ordered by where the
    kind first appears in the text."""

    level: UrgencyLevel
    score: float
    cues: tuple[Cue, ...]

    @property
    def kinds(self) -> frozenset[CueKind]:
        return frozenset(c.kind for c in self.cues)
