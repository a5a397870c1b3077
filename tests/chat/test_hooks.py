"""The messaging-bot webhooks: the generic signed contract, Telegram (a recorded Update, answered
through a local fake Bot API) and Matrix (a recorded transaction, answered through a local fake
homeserver, idempotent per transaction id)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from streetlight.chat.models import ChatMessage, Conversation
from streetlight.notify.signing import sign

from .fake_servers import FakeServer, recording_server

pytestmark = pytest.mark.django_db
PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "generic-shared-secret"
TG_SECRET = "tg-path-and-header-secret"
HS_TOKEN = "hs-token-from-registration"
AS_TOKEN = "as-token-from-registration"


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


@pytest.fixture
def fake_api() -> Iterator[FakeServer]:
    with recording_server({"ok": True, "result": {}, "event_id": "$sent"}) as fake:
        yield fake


@pytest.fixture
def channels(settings: Any, fake_api: FakeServer) -> FakeServer:
    settings.STREETLIGHT = {
        **settings.STREETLIGHT,
        "CHAT": {
            "GENERIC_SECRET": SECRET,
            "TELEGRAM_TOKEN": "123456:ABC-test",
            "TELEGRAM_SECRET": TG_SECRET,
            "TELEGRAM_API": fake_api.url,
            "MATRIX_HOMESERVER": fake_api.url,
            "MATRIX_HS_TOKEN": HS_TOKEN,
            "MATRIX_AS_TOKEN": AS_TOKEN,
            "MATRIX_USER_ID": "@streetlight:matrix.portavera.example",
        },
    }
    return fake_api


def generic(client: Client, body: dict[str, Any] | str, *, secret: str = SECRET, signed: bool = True) -> Any:
    raw = (body if isinstance(body, str) else json.dumps(body)).encode()
    headers = {"HTTP_STREETLIGHT_SIGNATURE": sign(secret, raw)} if signed else {}
    return client.post("/chat/hooks/generic", data=raw, content_type="application/json", **headers)


# The generic contract


def test_a_signed_generic_message_gets_the_answers_in_the_response(client: Client, channels: FakeServer) -> None:
    resp = generic(client, {"chat_id": "kiosk-7", "text": "hello", "language": "it"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["chat_id"] == "kiosk-7" and body["status"] == "bot"
    assert [r["from"] for r in body["replies"]] == ["bot", "bot"]
    conversation = Conversation.objects.get()
    assert conversation.channel == "generic" and conversation.language == "it"
    assert "kiosk-7" not in conversation.external_hash
    resp = generic(client, {"chat_id": "kiosk-7", "text": "Mi hanno rubato la bicicletta alla stazione stamattina"})
    assert resp.json()["replies"] and Conversation.objects.count() == 1


def test_a_generic_message_without_language_is_detected_or_asked(client: Client, channels: FakeServer) -> None:
    resp = generic(client, {"chat_id": "a", "text": "hi"})
    [question] = resp.json()["replies"]
    assert [o["value"] for o in question["quick_replies"]] == ["en", "fr", "nl", "it", "es"]
    resp = generic(client, {"chat_id": "a", "text": "2"})
    assert Conversation.objects.get().language == "fr" and Conversation.objects.get().step == "describe"
    generic(client, {"chat_id": "b", "text": "On m'a volé mon vélo devant la gare ce matin"})
    assert Conversation.objects.get(pk__gt=Conversation.objects.get(language="fr", step="describe").pk).language == "fr"


@pytest.mark.parametrize("secret", ["wrong-secret", None])
def test_a_badly_signed_or_unsigned_generic_message_is_refused(
    client: Client, channels: FakeServer, secret: str | None
) -> None:
    resp = generic(client, {"chat_id": "a", "text": "hi"}, secret=secret or SECRET, signed=secret is not None)
    assert resp.status_code == 401 and not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"chat_id": "a", "text": ', "not valid JSON"),
        ('{"text": "hi"}', "chat_id"),
        ('{"chat_id": "a", "text": 3}', "text must be a string"),
        ('["a"]', "JSON object"),
    ],
)
def test_a_malformed_generic_payload_gets_400_with_the_reason(
    client: Client, channels: FakeServer, caplog: Any, body: str, reason: str
) -> None:
    with caplog.at_level("INFO", logger="streetlight.chat"):
        resp = generic(client, body)
    assert resp.status_code == 400
    assert reason in json.dumps(resp.json())
    assert "streetlight.chat" in caplog.text or caplog.records


def test_an_empty_or_too_long_generic_text_is_refused_with_a_sentence(client: Client, channels: FakeServer) -> None:
    assert generic(client, {"chat_id": "a", "text": " "}).status_code == 422
    resp = generic(client, {"chat_id": "a", "text": "x" * 4001})
    assert resp.status_code == 422 and "4000" in resp.json()["title"]
    assert not Conversation.objects.exists()


def test_a_giant_generic_body_gets_413(client: Client, channels: FakeServer) -> None:
    resp = generic(client, {"chat_id": "a", "text": "x" * 70_000})
    assert resp.status_code == 413


def test_an_unknown_language_hint_is_ignored_and_logged(client: Client, channels: FakeServer, caplog: Any) -> None:
    with caplog.at_level("INFO", logger="streetlight.chat"):
        generic(client, {"chat_id": "a", "text": "On m'a volé mon vélo devant la gare ce matin", "language": "xx"})
    assert Conversation.objects.get().language == "fr"
    assert "language hint 'xx'" in caplog.text


def test_the_generic_webhook_is_off_without_a_secret(client: Client) -> None:
    assert generic(client, {"chat_id": "a", "text": "hi"}).status_code == 404


# Telegram


def telegram(client: Client, body: Any, *, secret: str = TG_SECRET, header: str = TG_SECRET) -> Any:
    return client.post(
        f"/chat/hooks/telegram/{secret}",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=header,
    )


def test_a_recorded_telegram_update_is_answered_with_send_message(client: Client, channels: FakeServer) -> None:
    resp = telegram(client, payload("telegram_update.json"))
    assert resp.status_code == 200 and resp.json() == {"ok": True}
    sent = channels.bodies("/bot123456:ABC-test/sendMessage")
    assert sent and all(body["chat_id"] == 5082417763 for body in sent)
    conversation = Conversation.objects.get()
    assert conversation.channel == "telegram" and conversation.language == "fr"
    # The story came with the first message: the assistant already suggests a category.
    assert conversation.step in {"suggest", "alternatives"}
    keyboard = sent[-1]["reply_markup"]["keyboard"]
    assert len(keyboard) >= 2 and sent[-1]["reply_markup"]["one_time_keyboard"] is True


def test_a_telegram_retry_of_the_same_update_is_answered_once(client: Client, channels: FakeServer) -> None:
    telegram(client, payload("telegram_update.json"))
    calls = len(channels.calls)
    assert telegram(client, payload("telegram_update.json")).status_code == 200
    assert len(channels.calls) == calls and ChatMessage.objects.filter(sender="resident").count() == 1


def test_telegram_answers_continue_the_same_conversation(client: Client, channels: FakeServer) -> None:
    update = payload("telegram_update.json")
    telegram(client, update)
    update = {**update, "update_id": update["update_id"] + 1, "message": {**update["message"], "text": "oui"}}
    telegram(client, update)
    conversation = Conversation.objects.get()
    assert conversation.step == "when" or conversation.answers.get("category")


@pytest.mark.parametrize(("secret", "header"), [("wrong", TG_SECRET), (TG_SECRET, "wrong"), (TG_SECRET, "")])
def test_telegram_calls_without_both_secrets_are_refused(
    client: Client, channels: FakeServer, secret: str, header: str
) -> None:
    assert telegram(client, payload("telegram_update.json"), secret=secret, header=header).status_code == 401
    assert not Conversation.objects.exists() and not channels.calls


@pytest.mark.parametrize(
    "body", ['{"update_id": "x"}', '{"update_id": 1, "message": {"chat": {"id": "abc"}, "text": "hi"}}', "{oops"]
)
def test_a_malformed_telegram_update_gets_400(client: Client, channels: FakeServer, body: str) -> None:
    assert telegram(client, body).status_code == 400


def test_telegram_updates_without_text_are_acknowledged_and_skipped(client: Client, channels: FakeServer) -> None:
    update = payload("telegram_update.json")
    del update["message"]["text"]
    update["message"]["sticker"] = {"file_id": "CAACAgIAAxkBAAE", "width": 512, "height": 512}
    assert telegram(client, update).status_code == 200
    assert not Conversation.objects.exists()


def test_a_too_long_telegram_text_is_answered_with_the_reason(client: Client, channels: FakeServer) -> None:
    update = payload("telegram_update.json")
    update["message"]["text"] = "y" * 4001
    assert telegram(client, update).status_code == 200
    [sent] = channels.bodies("sendMessage")
    assert "4000" in sent["text"] and not Conversation.objects.exists()


# Matrix


def matrix(client: Client, txn: str, body: Any, *, token: str | None = HS_TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.put(
        f"/chat/hooks/matrix/transactions/{txn}", data=json.dumps(body), content_type="application/json", **headers
    )


def test_a_recorded_matrix_transaction_is_answered_in_the_room(client: Client, channels: FakeServer) -> None:
    resp = matrix(client, "txn-1", payload("matrix_transaction.json"))
    assert resp.status_code == 200 and resp.json() == {}
    sends = [c for c in channels.calls if c.method == "PUT"]
    assert sends and all(
        "/_matrix/client/v3/rooms/%21kVqLnPaxDcRsAzWt%3Amatrix.portavera.example/send/m.room.message/" in c.path
        for c in sends
    )
    assert all(c.headers["Authorization"] == f"Bearer {AS_TOKEN}" for c in sends)
    assert all(c.body["msgtype"] == "m.text" for c in sends)
    assert len({c.path for c in sends}) == len(sends)  # one transaction id per message
    conversation = Conversation.objects.get()
    assert conversation.channel == "matrix" and conversation.language == "nl"


def test_a_matrix_transaction_retried_is_handled_once(client: Client, channels: FakeServer) -> None:
    matrix(client, "txn-7", payload("matrix_transaction.json"))
    calls = len(channels.calls)
    assert matrix(client, "txn-7", payload("matrix_transaction.json")).status_code == 200
    assert len(channels.calls) == calls
    assert ChatMessage.objects.filter(sender="resident").count() == 1


def test_matrix_skips_our_own_echoes_and_other_events(client: Client, channels: FakeServer) -> None:
    body = payload("matrix_transaction.json")
    body["events"][1]["sender"] = "@streetlight:matrix.portavera.example"
    assert matrix(client, "txn-echo", body).status_code == 200
    assert not Conversation.objects.exists() and not channels.calls


def test_matrix_tokens_are_checked(client: Client, channels: FakeServer) -> None:
    assert matrix(client, "t", payload("matrix_transaction.json"), token=None).status_code == 401
    assert matrix(client, "t", payload("matrix_transaction.json"), token="wrong").status_code == 403
    assert not Conversation.objects.exists()


def test_a_malformed_matrix_transaction_gets_400(client: Client, channels: FakeServer) -> None:
    assert matrix(client, "t", {"events": "nope"}).status_code == 400
