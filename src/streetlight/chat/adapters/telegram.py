"""Telegram Bot API: read an Update (https://core.telegram.org/bots/api#update) and answer with
sendMessage, quick replies as a one-time reply keyboard."""

from __future__ import annotations

from typing import Any

import httpx

from . import InboundText, PayloadInvalid


def parse_update(data: Any) -> InboundText | None:
    """The text message of an update; None for updates we do not handle (edits, stickers, joins)."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise PayloadInvalid("an Update needs an integer update_id")
    message = data.get("message")
    if message is None:
        return None
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
        raise PayloadInvalid("message.chat is missing")
    chat_id = message["chat"].get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        raise PayloadInvalid("message.chat.id must be an integer")
    text = message.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise PayloadInvalid("message.text must be a string")
    sender = message.get("from")
    if not isinstance(sender, dict):
        sender = {}
    language = sender.get("language_code") if isinstance(sender.get("language_code"), str) else None
    return InboundText(chat_id=str(chat_id), text=text, language=language, event_id=str(data["update_id"]))


def send_message(
    *, api: str, token: str, chat_id: str, text: str, options: list[dict[str, str]], timeout: float
) -> None:
    payload: dict[str, Any] = {"chat_id": int(chat_id), "text": text}
    if options:
        payload["reply_markup"] = {
            "keyboard": [[{"text": o["label"]}] for o in options],
            "one_time_keyboard": True,
            "resize_keyboard": True,
        }
    response = httpx.post(f"{api.rstrip('/')}/bot{token}/sendMessage", json=payload, timeout=timeout)
    response.raise_for_status()
