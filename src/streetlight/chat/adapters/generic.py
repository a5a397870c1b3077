"""The generic messaging contract: POST {"chat_id", "text", "language"?}, signed like our outgoing
webhooks (Streetlight-Signature: t=…,v1=HMAC-SHA256 of "<t>.<body>"); the answers come back in the
response body. See docs/chat.md."""

from __future__ import annotations

from typing import Any

from . import InboundText, PayloadInvalid

MAX_CHAT_ID = 200


def parse_message(data: Any) -> InboundText:
    if not isinstance(data, dict):
        raise PayloadInvalid("the body must be a JSON object")
    chat_id, text, language = data.get("chat_id"), data.get("text"), data.get("language")
    if isinstance(chat_id, int) and not isinstance(chat_id, bool):
        chat_id = str(chat_id)
    if not isinstance(chat_id, str) or not chat_id.strip() or len(chat_id) > MAX_CHAT_ID:
        raise PayloadInvalid(f"chat_id must be a non-empty string of at most {MAX_CHAT_ID} characters")
    if not isinstance(text, str):
        raise PayloadInvalid("text must be a string")
    if language is not None and not isinstance(language, str):
        raise PayloadInvalid("language must be a string when given")
    return InboundText(chat_id=chat_id, text=text, language=language)
