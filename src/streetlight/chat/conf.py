"""The chat assistant's settings, read from STREETLIGHT["CHAT"] at call time with safe defaults, so a
city that never configures the messaging channels still gets a working web widget and short retention."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, object] = {
    # Days a closed conversation (its messages and answers) is kept before it is deleted.
    "RETENTION_DAYS": 30,
    # Hours without a message after which an unfinished conversation is closed (then kept RETENTION_DAYS).
    "IDLE_HOURS": 24,
    # Longest message a resident or an operator may send, in characters.
    "MAX_TEXT": 4000,
    # Largest request body the chat endpoints read, in bytes; bigger ones get 413.
    "MAX_BODY_BYTES": 64 * 1024,
    # Seconds a "typing…" signal stays on.
    "TYPING_SECONDS": 6,
    # The language of a conversation whose language cannot be told (empty: the site's LANGUAGE_CODE).
    "DEFAULT_LANGUAGE": "",
    # The generic webhook: the shared secret of its HMAC signature (empty: the webhook is off).
    "GENERIC_SECRET": "",
    # Telegram: the bot token, the secret in the webhook's path and header, and the Bot API's base URL.
    "TELEGRAM_TOKEN": "",
    "TELEGRAM_SECRET": "",
    "TELEGRAM_API": "https://api.telegram.org",
    # Matrix application service: the homeserver's URL, the token it sends us and the one we send it.
    "MATRIX_HOMESERVER": "",
    "MATRIX_HS_TOKEN": "",
    "MATRIX_AS_TOKEN": "",
    # The application service's own user (e.g. "@streetlight:example.org"): its echoes are not answered.
    "MATRIX_USER_ID": "",
    # Seconds an outgoing call to Telegram or a homeserver may take.
    "HTTP_TIMEOUT": 5,
}


def value(name: str) -> object:
    return settings.STREETLIGHT.get("CHAT", {}).get(name, DEFAULTS[name])


def text(name: str) -> str:
    return str(value(name) or "")


def number(name: str) -> int:
    return int(str(value(name)))


def default_language() -> str:
    return text("DEFAULT_LANGUAGE") or str(settings.LANGUAGE_CODE)[:2]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
