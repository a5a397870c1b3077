"""What travels on the live stream: a change names its event id, what happened, the report and the
agencies that may hear of it — nothing else about the report. The same few fields are the payload of
PostgreSQL's NOTIFY, so a web process hands a change to its screens without reading the table."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Change:
    pk: int
    kind: str
    report_id: int
    agency_ids: tuple[int, ...]

    @classmethod
    def from_payload(cls, payload: str) -> Change | None:
        """The payload is written by `services.event_publish`'s INSERT. None for one this version
        cannot read (another version's NOTIFY during an upgrade): the hub then reads the table."""
        try:
            data = json.loads(payload)
            return cls(
                pk=int(data["id"]),
                kind=str(data["kind"]),
                report_id=int(data["report"]),
                agency_ids=tuple(int(a) for a in data["agencies"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def message(self) -> bytes:
        """The change as one Server-Sent Events message."""
        data = json.dumps({"report": self.report_id, "kind": self.kind})
        return f"id: {self.pk}\nevent: change\ndata: {data}\n\n".encode()
