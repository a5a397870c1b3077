"""The control room's chat desk: who may open it, taking a conversation over, messages both ways,
handing back, filing the report from the answers, closing, what operators never see, retention."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.audit.models import AuditEntry
from streetlight.chat import services
from streetlight.chat.models import ChatMessage, Conversation
from streetlight.reports.models import Report
from tests.staff import member, signed_in

from .conftest import Resident, options, texts
from .fake_servers import recording_server
from .test_conversation import answer_consents

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    user = member("police", "operator", "marie")
    user.first_name = "Marie"
    user.save()
    return signed_in(user)


def waiting(resident: Any, language: str = "en") -> Resident:
    r: Resident = resident(language)
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("human")
    assert r.conversation.status == "waiting_for_operator"
    return r


def desk_messages(client: Client, conversation: Conversation, after: int = 0) -> dict[str, Any]:
    resp = client.get(f"/control/chat/{conversation.pk}/messages?after={after}")
    assert resp.status_code == 200
    return dict(resp.json())


def test_the_desk_lists_waiting_conversations_and_the_queue_links_to_it(resident: Any, operator: Client) -> None:
    r = waiting(resident)
    page = operator.get("/control/chat/").content.decode()
    assert f"/control/chat/{r.conversation.pk}/" in page and "Asked for a person" in page
    assert "Chat (1 waiting)" in operator.get("/control/").content.decode()


def test_an_operator_takes_over_and_messages_travel_both_ways(resident: Any, operator: Client) -> None:
    r = waiting(resident, "fr")
    conversation = r.conversation
    assert operator.post(f"/control/chat/{conversation.pk}/take/").status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "with_operator" and conversation.operator is not None
    joined = r.poll()
    assert joined[-1]["sender"] == "bot" and "Marie" in joined[-1]["text"]
    resp = operator.post(
        f"/control/chat/{conversation.pk}/messages",
        data=json.dumps({"text": "Bonjour, je suis là. Êtes-vous en sécurité ?", "after": 0}),
        content_type="application/json",
    )
    assert resp.status_code == 200
    [said] = r.poll()
    assert said["sender"] == "operator" and said["operator"] == "Marie" and "en sécurité" in said["text"]
    r.say("Oui, je suis chez moi maintenant")
    state = desk_messages(operator, conversation, after=said["id"])
    assert [m["text"] for m in state["messages"]] == ["Oui, je suis chez moi maintenant"]
    assert conversation.messages.filter(sender="bot").count() == conversation.messages.filter(sender="bot").count()
    assert r.conversation.step == "suggest" or r.conversation.status == "with_operator"  # the engine stayed quiet
    assert AuditEntry.objects.filter(action="chat.operator_joined", actor__username="marie").exists()


def test_typing_signals_reach_the_other_side(resident: Any, operator: Client) -> None:
    r = waiting(resident)
    conversation = r.conversation
    operator.post(f"/control/chat/{conversation.pk}/take/")
    assert r.client.post("/chat/api/typing").status_code == 204
    assert desk_messages(operator, conversation)["typing"] is True
    assert operator.post(f"/control/chat/{conversation.pk}/typing").status_code == 204
    assert r.client.get("/chat/api/messages?after=0").json()["typing"] is True


def test_a_second_operator_cannot_take_a_conversation_already_taken(resident: Any, operator: Client) -> None:
    r = waiting(resident)
    operator.post(f"/control/chat/{r.conversation.pk}/take/")
    other = signed_in(member("victim-support", "case_worker", "theo"))
    resp = other.post(f"/control/chat/{r.conversation.pk}/take/")
    assert resp.status_code == 302 and "error=" in resp["Location"]
    resp = other.post(f"/control/chat/{r.conversation.pk}/messages", data={"text": "hello"})
    assert "error=" in resp["Location"]
    assert not ChatMessage.objects.filter(sender="operator").exists()


def test_handing_back_resumes_the_assistant_where_it_stopped(resident: Any, operator: Client) -> None:
    r = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("yes")
    r.say("operator")
    conversation = r.conversation
    operator.post(f"/control/chat/{conversation.pk}/take/")
    assert operator.post(f"/control/chat/{conversation.pk}/hand-back/").status_code == 302
    said = r.poll()
    assert options(said) == ["now", "today", "other"]
    conversation.refresh_from_db()
    assert conversation.status == "bot" and conversation.operator is None
    assert AuditEntry.objects.filter(action="chat.handed_back").exists()


def test_the_operator_files_the_report_only_after_the_consent_questions(resident: Any, operator: Client) -> None:
    r = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("yes")
    r.say("now")
    r.choose("skip")
    r.say("human")
    conversation = r.conversation
    operator.post(f"/control/chat/{conversation.pk}/take/")
    resp = operator.post(f"/control/chat/{conversation.pk}/file/")
    assert "error=" in resp["Location"] and not Report.objects.exists()
    operator.post(f"/control/chat/{conversation.pk}/hand-back/")
    answer_consents(r, ["yes", "no", "no", "no", "no", "yes"])
    r.say("human")
    operator.post(f"/control/chat/{conversation.pk}/take/")
    operator.post(f"/control/chat/{conversation.pk}/file/")
    report = Report.objects.get()
    assert report.source == "chat" and report.recipients == ["police"]
    assert report.reference in texts(r.poll())
    entry = AuditEntry.objects.get(action="chat.report_filed")
    assert entry.actor is not None and entry.actor.username == "marie"
    operator.post(f"/control/chat/{conversation.pk}/close/")
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.expires_at is not None


def test_operators_never_see_contact_details_or_the_follow_up_link(resident: Any, operator: Client) -> None:
    r = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("yes")
    r.say("now")
    r.choose("skip")
    answer_consents(r, ["yes", "no", "no", "no", "yes", "yes"])
    r.say("+39 011 555 1234")
    r.say("human")
    conversation = r.conversation
    operator.post(f"/control/chat/{conversation.pk}/take/")
    operator.post(f"/control/chat/{conversation.pk}/file/")
    page = operator.get(f"/control/chat/{conversation.pk}/").content.decode()
    polled = json.dumps(desk_messages(operator, conversation))
    for shown in (page, polled):
        assert "555 1234" not in shown and "/f/" not in shown
    assert "hidden" in page


def test_messages_to_a_telegram_resident_go_through_the_bot_api(
    client: Client, operator: Client, settings: Any
) -> None:
    with recording_server({"ok": True, "result": {}}) as fake:
        settings.STREETLIGHT = {
            **settings.STREETLIGHT,
            "CHAT": {"TELEGRAM_TOKEN": "1:T", "TELEGRAM_SECRET": "s", "TELEGRAM_API": fake.url},
        }
        said, _refusal = services.messaging_receive(
            channel="telegram",
            message=services.channels.InboundText(chat_id="42", text="je veux parler à un humain", language="fr"),
        )
        assert said is not None and said.conversation.status == "waiting_for_operator"
        conversation = said.conversation
        operator.post(f"/control/chat/{conversation.pk}/take/")
        operator.post(f"/control/chat/{conversation.pk}/messages", data={"text": "Bonjour !"})
        sent = [body["text"] for body in fake.bodies("/bot1:T/sendMessage")]
        assert any("Marie" in text for text in sent) and sent[-1] == "Marie: Bonjour !"


@pytest.mark.parametrize("path", ["/control/chat/", "/control/chat/1/", "/control/chat/1/messages"])
def test_the_desk_is_for_case_roles_only(client: Client, path: str) -> None:
    assert client.get(path).status_code == 302  # signed out: to the sign-in page
    analyst = signed_in(member("city-safety", "analyst"))
    assert analyst.get(path).status_code == 403


def test_a_conversation_still_with_the_assistant_is_not_on_the_desk(resident: Any, operator: Client) -> None:
    r = resident("en")
    r.start()
    assert operator.get(f"/control/chat/{r.conversation.pk}/").status_code == 404
    assert operator.post(f"/control/chat/{r.conversation.pk}/take/").status_code == 404


def test_closed_conversations_are_deleted_after_the_retention_period(resident: Any, operator: Client) -> None:
    r = waiting(resident)
    conversation = r.conversation
    operator.post(f"/control/chat/{conversation.pk}/close/")
    assert services.conversations_purge().deleted == 0
    Conversation.objects.filter(pk=conversation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    stale = waiting(resident)
    Conversation.objects.filter(pk=stale.conversation.pk).update(updated_at=timezone.now() - timedelta(days=2))
    purged = services.conversations_purge()
    assert purged.deleted == 1 and purged.closed == 1
    assert not ChatMessage.objects.filter(conversation_id=conversation.pk).exists()
    assert Conversation.objects.get(pk=stale.conversation.pk).status == "closed"
