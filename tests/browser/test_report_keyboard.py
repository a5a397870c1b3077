"""A full report in French with the keyboard only: Tab and Shift+Tab, Space, Enter, arrows and
typing. No click, no fill(), no check(): if a step cannot be done with keys, this fails."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from streetlight.reports.models import Report

from .helpers import (
    DONE_URL,
    OpenPage,
    focused_matches,
    focused_step_heading,
    pin_is_in_the_city,
    press_until,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT = "[data-step-next]"
BACK = "[data-step-back]"
SEND = "[data-submit-row] button[type=submit]"


def next_by_keyboard(page: Page, expected_step: str) -> None:
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    assert focused_step_heading(page) == expected_step, "after Next the focus is on the step's heading"
    expect(page.locator(f"#{expected_step}")).to_be_visible()


def test_full_report_in_french_by_keyboard(open_page: OpenPage) -> None:
    page = open_page(locale="fr-FR", accept_language="fr")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto("/report/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # 1. What: the search box, then the arrows inside the radio group.
    tab_to(page, "#category-search")
    page.keyboard.type("vélo")
    # Enter in the search box (the phone keyboard's "search" key) must not send the form.
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert posts == [], "Enter in the search box sent the half-filled form"
    expect(page.locator("#step-what")).to_be_visible()
    expect(page.locator("#cat-theft-bike")).to_be_visible()
    tab_to(page, "input[name=category]")
    press_until(page, "ArrowDown", "#cat-theft-bike", limit=12)
    page.keyboard.press("Space")
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    next_by_keyboard(page, "step-where")

    # Back with Shift+Tab returns to step 1 with the choice kept.
    tab_to(page, BACK, backwards=True)
    page.keyboard.press("Enter")
    assert focused_step_heading(page) == "step-what"
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    next_by_keyboard(page, "step-where")

    # 2. Where: Enter on the map's zoom button zooms; it does not drop a pin...
    tab_to(page, "#map .leaflet-control-zoom-in")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-status")).to_be_empty()
    assert page.locator("#id_lat").input_value() == ""
    # ...Enter on the focused map itself drops a pin at its centre...
    tab_to(page, "#map", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#pin-status")).not_to_be_empty()
    assert pin_is_in_the_city(page), "Enter put the pin outside the city"
    # ...then an area of the city instead, from the select.
    tab_to(page, "input[name=location_kind]", backwards=True)
    press_until(page, "ArrowDown", "input[name=location_kind][value=area]", limit=4)
    expect(page.locator("#id_area")).to_be_visible()
    tab_to(page, "#id_area")
    page.keyboard.press("ArrowDown")
    area = page.locator("#id_area").input_value()
    assert area, "the arrow key chose an area"
    # Enter in a text field of an earlier step goes to the next step; it does not send.
    tab_to(page, "#id_address")
    page.keyboard.type("Gare centrale")
    page.keyboard.press("Enter")
    assert focused_step_heading(page) == "step-when"
    assert posts == []

    # 3. When: now (the default), confirmed with Space.
    tab_to(page, "input[name=when]")
    press_until(page, "ArrowUp", "input[name=when][value=now]", limit=4)
    page.keyboard.press("Space")
    next_by_keyboard(page, "step-describe")

    # 4. Tell us more.
    description = "On m'a volé mon vélo devant la gare, le cadenas a été coupé."
    tab_to(page, "#id_description")
    page.keyboard.type(description)
    next_by_keyboard(page, "step-who")

    # 5. Nobody: statistics only.
    tab_to(page, "input[name=recipients][value=none]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=recipients][value=none]")).to_be_checked()
    next_by_keyboard(page, "step-contact")

    # 6. No contact; send with Enter on the button.
    tab_to(page, SEND)
    assert focused_matches(page, SEND)
    page.keyboard.press("Enter")
    page.wait_for_url(DONE_URL)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    report = Report.objects.get()
    expect(page.locator(".panel-success strong")).to_have_text(report.reference)
    assert report.language == "fr"
    assert report.category.code == "theft-bike"
    assert report.description == description
    assert report.location_kind == "area"
    assert report.area is not None and report.area.code == area
    assert report.address == "Gare centrale"
    assert report.when_kind == "now"
    assert report.statistics_only
    assert not (report.share_police or report.share_victim_support or report.share_social_services)
    assert not report.share_city
    assert not report.may_contact
