"""The triage redaction, applied to stories: the suggestion a moderator starts from, the parts of the
reporter's text it would hide (highlighted on the moderator's screen), and the guard that refuses to
publish a text in which the redaction still finds anything.

The guard reads the moderator's final text with the same detectors, so what it lets through is what
`redact` leaves alone: the suggested text always passes (redacting twice changes nothing), and an
e-mail, a phone number, an IBAN, a plate, a house address or a personal link typed back in does not."""

from __future__ import annotations

from dataclasses import dataclass

from streetlight.toolkit.triage.redact import SpanKind, redact


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the reporter's text; `kind` is set where the redaction would replace it."""

    text: str
    kind: SpanKind | None = None


def suggest(text: str) -> str:
    return redact(text).text


def segments(text: str) -> list[Segment]:
    """The text cut at the redaction's spans, for a highlighted view of what would go."""
    parts: list[Segment] = []
    pos = 0
    for span in redact(text).spans:
        if span.start > pos:
            parts.append(Segment(text[pos : span.start]))
        parts.append(Segment(text[span.start : span.end], span.kind))
        pos = span.end
    if pos < len(text):
        parts.append(Segment(text[pos:]))
    return parts


def left_in(text: str) -> list[SpanKind]:
    """The kinds of personal data the redaction still finds, each once, in the order found."""
    kinds: list[SpanKind] = []
    for span in redact(text).spans:
        if span.kind not in kinds:
            kinds.append(span.kind)
    return kinds
