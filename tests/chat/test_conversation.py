"""The assistant through whole conversations on the web widget's API: the questions of the report
form in each language, the six consent questions one by one, and the report that comes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from streetlight.audit.models import AuditEntry
from streetlight.reports.models import Report, ReportContact

from .conftest import Resident, options, texts

pytestmark = pytest.mark.django_db

CONSENT_STEPS = [
    "consent_police",
    "consent_victim_support",
    "consent_social_services",
    "consent_city",
    "consent_contact",
    "consent_public_statistics",
]


def answer_consents(r: Resident, answers: list[str]) -> list[dict[str, Any]]:
    """Answer the six consent questions, checking each is asked on its own, in the form's order."""
    said: list[dict[str, Any]] = []
    for step, answer in zip(CONSENT_STEPS, answers, strict=True):
        assert r.step == step
        said = r.say(answer)
    return said


def at_the_when_question(resident: Any) -> Resident:
    """An English resident who told of a bike theft and took the suggested category."""
    r: Resident = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("yes")
    assert r.step == "when"
    return r


CITY = ZoneInfo(settings.TIME_ZONE)


@time_machine.travel(datetime(2026, 6, 10, 15, 0, tzinfo=CITY), tick=True)
def test_a_whole_conversation_in_english_files_the_report_with_exactly_the_consents_given(resident: Any) -> None:
    r = resident("en")
    greeting = r.start()
    assert "What happened?" in texts(greeting)
    said = r.say("A man followed me in the street and shouted sexual comments at me")
    assert "It sounds like" in texts(said) and options(said) == ["yes", "no"]
    said = r.say("yes")
    assert "Who can help" in texts(said)  # the category's guidance and support contacts
    assert options(said) == ["now", "today", "other"]
    said = r.choose("today")
    said = r.say("8:15")
    assert options(said) == ["location", "skip"]
    said = r.say("Main street near the station")
    said = answer_consents(r, ["yes", "no", "no", "yes", "yes", "no"])
    assert r.step == "contact"
    said = r.say("resident@example.org")
    summary = texts(said)
    assert "Shared with: the police, the city" in summary and "Public statistics (anonymous): no" in summary
    said = r.choose("yes")
    report = Report.objects.get()
    assert report.reference in texts(said)
    assert "/f/" in texts(said)
    assert report.source == "chat" and report.language == "en"
    assert report.category.parent is not None and report.category.parent.code == "harassment"
    assert (report.share_police, report.share_victim_support, report.share_social_services, report.share_city) == (
        True,
        False,
        False,
        True,
    )
    assert report.may_contact is True and report.public_statistics is False
    assert report.when_kind == "at" and report.address == "Main street near the station"
    assert ReportContact.objects.get(report=report).email == "resident@example.org"
    assert r.conversation.status == "closed" and r.conversation.report_id == report.pk
    entry = AuditEntry.objects.get(action="chat.report_filed")
    assert "followed" not in str(entry.data) and "resident@example.org" not in str(entry.data)


def test_a_whole_conversation_in_french_with_typed_answers(resident: Any) -> None:
    r = resident("fr")
    r.start()
    r.say("Un homme m'a suivi dans la rue et m'a insulté en criant des remarques sexistes")
    assert r.step == "suggest"
    r.say("oui")
    assert r.step == "when"
    r.say("maintenant")
    r.choose("skip")
    answer_consents(r, ["non", "oui", "non", "non", "non", "oui"])
    assert r.step == "summary"  # "may we contact you?" was no: no contact question
    r.say("oui")
    report = Report.objects.get()
    assert report.language == "fr" and report.when_kind == "now" and report.location_kind == "none"
    assert (report.share_police, report.share_victim_support, report.share_social_services, report.share_city) == (
        False,
        True,
        False,
        False,
    )
    assert report.may_contact is False and report.public_statistics is True
    assert not ReportContact.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("language", "story", "yes", "no"),
    [
        ("nl", "Iemand heeft vanochtend mijn fiets gestolen bij het station", "ja", "nee"),
        ("it", "Mi hanno rubato la bicicletta alla stazione stamattina", "sì", "no"),
        ("es", "Esta mañana me robaron la bicicleta delante de la estación de tren", "sí", "no"),
    ],
)
def test_a_short_path_in_each_other_language(resident: Any, language: str, story: str, yes: str, no: str) -> None:
    r = resident(language)
    r.start()
    r.say(story)
    if r.step == "suggest":
        r.say(yes)
    else:  # the model was not sure: pick the first of its suggestions
        r.say("1")
    r.say("1")  # now
    r.choose("skip")
    answer_consents(r, [yes, no, no, no, no, yes])
    r.say(yes)
    report = Report.objects.get()
    assert report.language == language and report.source == "chat"
    assert report.recipients == ["police"] and report.public_statistics and not report.may_contact


def test_saying_no_to_the_suggestion_offers_others_then_the_main_list(resident: Any) -> None:
    r = resident("en")
    r.start()
    r.say("A man followed me in the street and shouted sexual comments at me")
    said = r.say("no")
    assert r.step == "alternatives" and options(said)[-1] == "other"
    said = r.choose("other")
    assert r.step == "main" and "theft" in options(said) and "unsafe" not in options(said)
    said = r.choose("theft")
    assert r.step == "sub" and "theft-bike" in options(said)
    r.choose("theft-pickpocket")
    assert r.step == "when" and r.conversation.answers["category"] == "theft-pickpocket"


def test_back_returns_to_the_previous_question_and_restart_starts_over(resident: Any) -> None:
    r = at_the_when_question(resident)
    r.say("now")
    assert r.step == "where"
    r.say("back")
    assert r.step == "when"
    said = r.say("restart")
    assert r.step == "describe" and "What happened?" in texts(said)
    assert "category" not in r.conversation.answers


def test_an_urgent_message_shows_the_emergency_number_and_offers_an_operator(resident: Any) -> None:
    r = resident("en")
    r.start()
    said = r.say("He has a knife and he is still here, help")
    assert r.step == "urgent" and "112" in texts(said) and options(said) == ["yes", "no"]
    said = r.say("yes")
    conversation = r.conversation
    assert conversation.status == "waiting_for_operator" and conversation.handover_reason == "urgency"
    assert AuditEntry.objects.filter(action="chat.handover", data__reason="urgency").exists()


def test_declining_the_operator_goes_on_with_the_questions(resident: Any) -> None:
    r = resident("en")
    r.start()
    r.say("He has a knife and he is still here, help")
    r.say("no")
    assert r.step in {"suggest", "alternatives", "main"} and r.conversation.status == "bot"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "un humain"),
        ("nl", "een mens"),
        ("it", "operatore"),
        ("es", "una persona"),
        ("en", "I want to talk to a human please"),
    ],
)
def test_asking_for_a_person_at_any_step_calls_an_operator(resident: Any, language: str, words: str) -> None:
    r = resident(language)
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say(words)
    conversation = r.conversation
    assert conversation.status == "waiting_for_operator" and conversation.handover_reason == "asked"


def test_a_sentence_that_mentions_a_person_is_not_a_request_for_one(resident: Any) -> None:
    r = resident("en")
    r.start()
    r.say("A person followed me")
    assert r.conversation.status == "bot"


def test_while_waiting_the_resident_can_go_on_with_the_assistant(resident: Any) -> None:
    r = at_the_when_question(resident)
    r.say("human")
    r.say("hello?")
    said = r.choose("continue")
    assert r.conversation.status == "bot" and r.step == "when" and options(said) == ["now", "today", "other"]


def test_a_refused_answer_is_asked_again_and_the_report_then_goes_through(resident: Any) -> None:
    """The report service refuses the e-mail address; the assistant says why, asks again, and
    returns to the summary once it is corrected."""
    r = at_the_when_question(resident)
    r.say("now")
    r.choose("skip")
    answer_consents(r, ["yes", "no", "no", "no", "yes", "yes"])
    r.say("resident@")
    said = r.choose("yes")
    assert r.step == "contact" and "valid e-mail" in texts(said)
    assert not Report.objects.exists()
    said = r.say("resident@example.org")
    assert r.step == "summary"
    r.choose("yes")
    assert ReportContact.objects.get().email == "resident@example.org"


def test_a_shared_location_outside_the_city_is_asked_again(resident: Any, city_point: tuple[float, float]) -> None:
    r = at_the_when_question(resident)
    r.say("now")
    r.choose("location", lat=1.0, lon=1.0, accuracy=10)
    answer_consents(r, ["yes", "no", "no", "no", "no", "yes"])
    said = r.choose("yes")
    assert r.step == "where" and "outside" in texts(said)
    lat, lon = city_point
    r.choose("location", lat=lat, lon=lon, accuracy=12)
    assert r.step == "summary"
    r.choose("yes")
    report = Report.objects.get()
    assert report.location_kind == "point" and report.area is not None and report.precision_m == 12


@time_machine.travel(datetime(2026, 6, 10, 0, 20, tzinfo=CITY), tick=True)
def test_just_after_midnight_a_time_later_than_now_is_asked_again_with_the_day(resident: Any) -> None:
    """At 00:20, "earlier today, 23:40" has not happened yet: the resident hears why at once and
    gets the day question back, instead of a refusal after the consent questions."""
    r = at_the_when_question(resident)
    r.choose("today")
    said = r.say("23:40")
    assert "It is only 00:20" in texts(said) and "Another day" in texts(said)
    assert r.step == "when" and options(said) == ["now", "today", "other"] and "when" not in r.conversation.answers
    said = r.say("23:40")  # typed again at the day question: the same answer
    assert r.step == "when" and "It is only 00:20" in texts(said)
    r.choose("other")
    r.say("09/06 23:40")
    assert r.step == "where"
    r.choose("skip")
    answer_consents(r, ["yes", "no", "no", "no", "no", "no"])
    r.choose("yes")
    report = Report.objects.get()
    assert report.occurred_from == datetime(2026, 6, 9, 23, 40, tzinfo=CITY)


@time_machine.travel(datetime(2026, 6, 10, 15, 0, tzinfo=CITY), tick=True)
def test_a_day_still_to_come_is_asked_again_and_an_earlier_time_today_is_kept(resident: Any) -> None:
    r = at_the_when_question(resident)
    r.choose("other")
    said = r.say("2026-06-12 10:00")
    assert r.step == "when_date" and "has not come yet" in texts(said)
    r.say("2026-06-10 14:45")  # today, a quarter of an hour ago
    assert r.step == "where"
    assert r.conversation.answers["when"]["at"].startswith("2026-06-10T14:45")


def test_options_can_be_picked_by_number_or_label(resident: Any) -> None:
    r = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    r.say("Yes")
    r.say("Another day")
    assert r.step == "when_date"
    r.say("03/01/2026 21:30")
    assert r.conversation.answers["when"]["at"].startswith("2026-01-03T21:30")


def test_empty_and_too_long_messages_are_refused_with_a_sentence(resident: Any) -> None:
    r = resident("en")
    r.start()
    [problem] = r.say("   ", status=400)
    assert problem["title"] == "Please type a message."
    [problem] = r.say("x" * 4001, status=400)
    assert "at most 4000 characters" in problem["title"]
    assert r.conversation.messages.filter(sender="resident").count() == 0


def test_giant_and_malformed_bodies_are_refused_not_crashed(client: Any) -> None:
    resp = client.post("/chat/api/messages", data="{" + " " * 70_000 + "}", content_type="application/json")
    assert resp.status_code == 413
    resp = client.post("/chat/api/messages", data="{not json", content_type="application/json")
    assert resp.status_code == 400 and "JSON" in resp.json()["title"]
    resp = client.post("/chat/api/messages", data="[1, 2]", content_type="application/json")
    assert resp.status_code == 400
    resp = client.post("/chat/api/messages", data='{"text": 5}', content_type="application/json")
    assert resp.status_code == 400
    assert client.get("/chat/api/messages?after=abc").status_code == 400


def test_an_unknown_language_hint_is_ignored_and_logged(resident: Any, caplog: Any) -> None:
    r = resident("tlh")
    with caplog.at_level("INFO", logger="streetlight.chat"):
        r.start()
    assert r.conversation.language == "en"
    assert "language hint 'tlh'" in caplog.text


def test_the_widget_cookie_is_http_only_and_the_token_is_stored_hashed(resident: Any) -> None:
    r = resident("en")
    r.start()
    cookie = r.client.cookies["sl_chat"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert r.conversation.web_token_hash and cookie.value not in r.conversation.web_token_hash
    assert Resident(type(r.client)(), "en").poll() == []  # another browser sees nothing


def test_contact_details_are_encrypted_at_rest(resident: Any) -> None:
    from django.db import connection

    r = resident("en")
    r.start()
    r.say("Someone stole my bike in front of the station this morning")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM chat_chatmessage WHERE sender = 'resident'")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT answers_json FROM chat_conversation")
        answers = cursor.fetchone()[0]
    assert stored and all("bike" not in value for value in stored)
    assert "bike" not in answers
    assert options(r.poll()) == []
