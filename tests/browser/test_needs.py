"""The needs assessment in Chromium: a resident ticks "someone to talk to" and "an interpreter" on
the phone, shares the report with victim support only, and the confirmation lists the services that
answer those needs; the victim-support case worker sees the needs panel on the report; a police
officer gets the same 404 as for any report not shared with the police, and no needs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from streetlight.reports.models import Report
from streetlight.reports.tasks import process_report

from .helpers import DONE_URL, OpenPage, assert_accessible, desk_sign_in, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_needs_tailor_the_guidance_and_reach_only_the_chosen_agency(
    open_page: OpenPage, open_desk: Callable[[], Page]
) -> None:
    resident = open_page()
    quick_report(resident, recipients=("victim_support",))
    needs = resident.get_by_role("group", name="Would you like help? (optional)")
    expect(needs).to_be_visible()
    needs.get_by_label("Someone to talk to").check()
    needs.get_by_label("An interpreter").check()
    needs.get_by_label("Which language would you like? (optional)").fill("Arabic")
    assert_accessible(resident, "/report/ last step with the needs ticked")
    send(resident)
    resident.wait_for_url(DONE_URL)

    talk = resident.locator("li.service[data-service='listening-line']")
    interpreting = resident.locator("li.service[data-service='victim-interpreting']")
    expect(talk).to_contain_text("Portavera listening line")
    expect(talk.locator(".service-needs")).to_have_text("For what you asked: Someone to talk to")
    expect(interpreting.locator(".service-needs")).to_have_text("For what you asked: An interpreter")
    expect(talk.get_by_role("link", name="Call +39 011 000 0108")).to_have_attribute("href", "tel:+390110000108")
    expect(resident.locator("#emergency-first")).to_have_count(0)
    expect(resident.locator("li.service[data-service='safe-housing-line']")).to_have_count(0)
    assert_accessible(resident, "the confirmation with services for the needs")

    report = Report.objects.get()
    assert (report.needs, report.interpreter_language) == (["someone_to_talk_to", "interpreter"], "Arabic")
    process_report.call(report_id=report.pk)  # as the worker would: routed by consent
    assert list(report.assignments.values_list("agency__code", flat=True)) == ["victim-support"]

    helper = desk_sign_in(open_desk, "helper", "victim-support", "case_worker")
    row = helper.locator("#queue-rows tr", has_text=report.reference)
    expect(row).to_be_visible()
    expect(row).not_to_contain_text("Someone to talk to")
    helper.goto(f"/control/reports/{report.pk}/")
    panel = helper.locator("#needs-panel")
    expect(panel.get_by_role("heading", name="Needs")).to_be_visible()
    expect(panel.locator("li")).to_have_text(["Someone to talk to", "An interpreter · language: Arabic"])
    assert_accessible(helper, "a report's page with the needs panel")

    cop = desk_sign_in(open_desk, "cop", "police", "case_worker")
    expect(cop.locator("#queue-rows tr", has_text=report.reference)).to_have_count(0)
    response = cop.goto(f"/control/reports/{report.pk}/")
    assert response is not None and response.status == 404
    expect(cop.locator("#needs-panel")).to_have_count(0)
    expect(cop.get_by_text("Someone to talk to")).to_have_count(0)
    expect(cop.get_by_text("Arabic")).to_have_count(0)


def test_in_danger_now_the_emergency_number_comes_first(open_page: OpenPage) -> None:
    resident = open_page()
    quick_report(resident, recipients=("none",))
    resident.get_by_role("group", name="Would you like help? (optional)").get_by_label("In danger now").check()
    send(resident)
    resident.wait_for_url(DONE_URL)
    number = settings.STREETLIGHT["EMERGENCY_NUMBER"]
    first = resident.locator("main #emergency-first")
    expect(first.get_by_role("link", name=f"Call {number}")).to_have_attribute("href", f"tel:{number}")
    above = resident.evaluate(
        "() => document.querySelector('#emergency-first').compareDocumentPosition(document.querySelector('main h1'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above, "the emergency number comes before the page's heading"
    expect(resident.locator("#needs-routing")).to_contain_text("Nobody receives your answers")
    assert_accessible(resident, "the confirmation of someone in danger now")
