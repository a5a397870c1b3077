"""Matrix application service: read a transaction the homeserver PUTs to us
(https://spec.matrix.org/v1.11/application-service-api/#put_matrixappv1transactionstxnid) and answer
in the room with the client-server API's send endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from . import InboundText, PayloadInvalid


def parse_transaction(data: Any, *, own_user: str = "") -> list[InboundText]:
    """The text messages of a transaction; other events (joins, reactions, our own echoes) are skipped."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise PayloadInvalid("a transaction needs an events list")
    found = []
    for event in data["events"]:
        if not isinstance(event, dict) or event.get("type") != "m.room.message":
            continue
        content = event.get("content")
        if not isinstance(content, dict) or content.get("msgtype") not in ("m.text", None):
            continue
        room, body, sender = event.get("room_id"), content.get("body"), event.get("sender")
        if not isinstance(room, str) or not isinstance(body, str) or (own_user and sender == own_user):
            continue
        found.append(InboundText(chat_id=room, text=body, event_id=str(event.get("event_id", ""))))
    return found


def send_message(*, homeserver: str, token: str, room_id: str, txn_id: str, text: str, timeout: float) -> None:
    url = (
        f"{homeserver.rstrip('/')}/_matrix/client/v3/rooms/{quote(room_id, safe='')}"
        f"/send/m.room.message/{quote(txn_id, safe='')}"
    )
    response = httpx.put(
        url, json={"msgtype": "m.text", "body": text}, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
    )
    response.raise_for_status()
