"""The chat widget in Chromium on a phone, in French: a whole report through the conversation with
the six consent questions answered one by one; and a resident who asks for a person, an operator who
takes over from the control room's chat desk, and messages that reach each side within seconds."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from streetlight.chat.models import Conversation
from streetlight.reports.models import Report

from .helpers import OpenPage, assert_accessible, desk_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STORY = "Un homme m'a suivi dans la rue et m'a insulté en criant des remarques sexistes"


@pytest.fixture
def triage_model(site: object) -> None:
    """The flush after earlier browser tests emptied the triage models: train the first one again."""
    from streetlight.triage.services import triage_seed_model

    triage_seed_model()


def open_widget(open_page: OpenPage) -> Page:
    page = open_page(locale="fr-FR", accept_language="fr")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("#chat-open").click()
    expect(page.locator("#chat-input")).to_be_focused()
    expect(page.locator("#chat-log .chat-msg.chat-msg-bot")).to_have_count(2)  # the greeting, then "what happened?"
    return page


def type_message(page: Page, text: str) -> None:
    page.locator("#chat-input").fill(text)
    page.locator("#chat-input").press("Enter")
    expect(page.locator("#chat-log .chat-msg.chat-msg-resident").last).to_contain_text(text[:20])


def quick_reply(page: Page, value: str) -> None:
    """Press a quick reply once it is there; the buttons go while the answer is on its way."""
    button = page.locator(f"#chat-quick button[data-value='{value}']")
    expect(button).to_be_visible()
    button.click()


def test_a_whole_report_through_the_chat_widget_in_french(open_page: OpenPage, triage_model: None) -> None:
    page = open_widget(open_page)
    assert_accessible(page, "the open chat widget")
    type_message(page, STORY)
    quick_reply(page, "yes")  # "It sounds like … — is that right?"
    quick_reply(page, "now")  # when
    expect(page.locator("#chat-quick button[data-value='skip']")).to_be_visible()
    type_message(page, "Rue de la Gare, devant la boulangerie")  # where
    for answer in ["yes", "no", "no", "yes", "no", "yes"]:  # the six consent questions, one by one
        quick_reply(page, answer)
    expect(page.locator("#chat-quick button[data-value='restart']")).to_be_visible()  # the summary
    expect(page.locator("#chat-log .chat-msg").last).to_contain_text("Rue de la Gare")
    quick_reply(page, "yes")
    expect(page.locator("#chat-log")).to_contain_text(re.compile(r"SL-[0-9A-Z]{8}"))
    report = Report.objects.get()
    assert report.source == "chat" and report.language == "fr" and report.description == STORY
    assert report.recipients == ["police", "city"]
    assert report.public_statistics and not report.may_contact
    assert report.category.parent is not None and report.category.parent.code == "harassment"
    expect(page.locator("#chat-log a[href*='/f/']")).to_be_visible()  # the follow-up link
    page.locator("#chat-close").click()
    expect(page.locator("#chat-open")).to_be_focused()


def test_a_resident_asks_for_a_person_and_an_operator_takes_over(
    open_page: OpenPage, open_desk: Callable[[], Page]
) -> None:
    resident = open_widget(open_page)
    type_message(resident, "un humain")
    expect(resident.locator("#chat-quick button[data-value='continue']")).to_be_visible()
    conversation = Conversation.objects.get()
    assert conversation.status == "waiting_for_operator"

    desk = desk_sign_in(open_desk, "marie", "police", "operator")
    expect(desk.get_by_role("link", name=re.compile(r"Chat \(1 waiting\)"))).to_be_visible()
    desk.get_by_role("link", name=re.compile(r"Chat \(1 waiting\)")).click()
    desk.get_by_role("link", name=f"Conversation {conversation.pk}").click()
    expect(desk.locator("#chat-desk-log")).to_contain_text("un humain")
    desk.get_by_role("button", name="Take over").click()
    expect(resident.locator("#chat-log")).to_contain_text("marie")

    desk.get_by_label("Your answer to the resident").fill("Bonjour, ici Marie. Êtes-vous en sécurité ?")
    desk.get_by_role("button", name="Send").click()
    answer = resident.locator("#chat-log .chat-msg.chat-msg-operator")
    expect(answer).to_contain_text("Êtes-vous en sécurité ?")

    type_message(resident, "Oui, je suis rentrée chez moi")
    expect(desk.locator("#chat-desk-log .chat-msg.chat-msg-resident").last).to_have_text(
        re.compile("Oui, je suis rentrée chez moi")
    )
    assert_accessible(desk, "the chat desk")
