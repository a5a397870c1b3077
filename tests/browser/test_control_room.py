"""The control room in Chromium, on the real ASGI app under uvicorn: a routed report reaches the open
screens of the agencies it is shared with, live and no others; status changes travel to the other
screens and a stale one is refused, never lost; filters work in place; axe finds nothing serious;
and the queue works with the keyboard."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from streetlight.reports.models import Report, StatusChange
from streetlight.routing.models import Assignment

from .helpers import Site, assert_accessible, desk_sign_in, focused_html, focused_matches, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
LIVE = "Live: new reports appear here"
OpenDesk = Callable[[], Page]
FileTheft = Callable[[], Report]


@pytest.fixture
def file_theft(asgi_site: Site, report_json: dict[str, Any]) -> FileTheft:
    """File a bike theft through the public API, shared with the police only (routed as it is accepted)."""

    def file() -> Report:
        resp = Client().post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
        assert resp.status_code == 201, resp.content
        report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
        assert [a.agency.code for a in Assignment.objects.filter(report=report)] == ["police"]
        return report

    return file


def signed_in(open_desk: OpenDesk, username: str, agency: str) -> Page:
    """A new operator of `agency`, signed in by typing at /accounts/login/: lands on the queue."""
    return desk_sign_in(open_desk, username, agency, "operator")


def control_room(open_desk: OpenDesk, username: str, agency: str) -> Page:
    """A signed-in operator's queue, connected to the live stream."""
    page = signed_in(open_desk, username, agency)
    expect(page.locator("#live-status")).to_have_text(LIVE)
    page.evaluate("window.sameDocument = true")  # gone if the page is ever reloaded
    return page


def not_reloaded(page: Page) -> bool:
    return page.evaluate("window.sameDocument === true") is True


def row_of(page: Page, report: Report) -> Locator:
    return page.locator("#queue-rows tr", has_text=report.reference)


def cell(page: Page, report: Report, column: str) -> Locator:
    """The report's cell in the column headed `column`, wherever that column is."""
    headers = [t.strip() for t in page.locator("#queue thead th").all_inner_texts()]
    return row_of(page, report).locator("td").nth(headers.index(column))


def markers(page: Page) -> Locator:
    return page.locator("#control-map .leaflet-marker-icon")


def change_status(page: Page, label: str) -> None:
    page.get_by_label("New status").select_option(label=label)
    page.get_by_role("button", name="Change status").click()


def test_a_routed_report_appears_live_only_on_the_screens_of_its_agency(
    open_desk: OpenDesk, file_theft: FileTheft
) -> None:
    police = control_room(open_desk, "cop", "police")
    support = control_room(open_desk, "helper", "victim-support")
    support_fetches: list[str] = []
    support.on("request", lambda r: support_fetches.append(r.url) if "/control/rows/" in r.url else None)
    expect(police.locator(".queue-empty")).to_be_visible()
    expect(markers(police)).to_have_count(0)

    report = file_theft()

    expect(row_of(police, report)).to_be_visible(timeout=5000)
    expect(row_of(police, report)).to_contain_text("Bike theft")
    expect(markers(police).first).to_be_visible(timeout=5000)
    expect(markers(police)).to_have_count(1)
    expect(police.locator(".queue-empty")).to_have_count(0)
    assert not_reloaded(police)

    # The event reached the police screen; the other screen had the same chance to show it. Absence
    # can only be checked over a window, so give it one before asserting nothing arrived.
    support.wait_for_timeout(2000)
    expect(support.get_by_text(report.reference)).to_have_count(0)
    expect(support.locator("#queue-rows .queue-row")).to_have_count(0)
    expect(markers(support)).to_have_count(0)
    assert not support_fetches, f"the victim-support screen asked for a police report: {support_fetches}"
    expect(support.locator("#live-status")).to_have_text(LIVE)


def test_a_status_change_on_another_screen_updates_the_queue_row_live(
    open_desk: OpenDesk, file_theft: FileTheft
) -> None:
    report = file_theft()
    first = control_room(open_desk, "cop", "police")
    status_cell = cell(first, report, "Status")
    expect(status_cell).to_have_text("Received")

    second = signed_in(open_desk, "cop2", "police")
    second.goto(f"/control/reports/{report.pk}/")
    change_status(second, "In progress")
    second.wait_for_url(f"**/control/reports/{report.pk}/")
    expect(second.locator("#report-status")).to_have_text("In progress")

    expect(status_cell).to_have_text("In progress", timeout=5000)
    expect(first.locator("#queue-rows .queue-row")).to_have_count(1)  # replaced, not added twice
    assert not_reloaded(first)


def test_a_stale_status_change_is_refused_and_the_first_change_is_kept(
    open_desk: OpenDesk, file_theft: FileTheft
) -> None:
    report = file_theft()
    first, second = signed_in(open_desk, "cop", "police"), signed_in(open_desk, "cop2", "police")
    for page in (first, second):
        page.goto(f"/control/reports/{report.pk}/")
        expect(page.locator("#report-status")).to_have_text("Received")

    change_status(first, "In progress")
    expect(first.locator("#report-status")).to_have_text("In progress")
    with second.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/status/")) as answer:
        change_status(second, "Not taken up")

    assert answer.value.status == 409
    expect(second.locator("#error-summary")).to_contain_text(
        "Someone else changed this report while you were looking at it."
    )
    expect(second.locator("#report-status")).to_have_text("In progress")  # the current version, shown
    expect(second.get_by_label("New status").locator("option", has_text="In progress")).to_have_count(0)
    assert_accessible(second, "the 409 page")
    report.refresh_from_db()
    assert report.status == "in_progress"
    changes = StatusChange.objects.filter(report=report).exclude(to_status="received")  # intake made "received"
    assert list(changes.values_list("to_status", flat=True)) == ["in_progress"]


def test_choosing_a_category_refreshes_the_queue_in_place_and_in_the_url(
    open_desk: OpenDesk, file_theft: FileTheft
) -> None:
    report = file_theft()
    page = control_room(open_desk, "cop", "police")
    category = page.get_by_label("Category", exact=True)
    expect(row_of(page, report)).to_be_visible()
    expect(markers(page)).to_have_count(1)

    with page.expect_request(lambda r: "category=theft-pickpocket" in r.url) as asked:
        category.select_option("theft-pickpocket")
    assert asked.value.headers.get("hx-request") == "true"  # htmx, not a page load
    expect(page.locator(".queue-empty")).to_have_text("No reports match.")
    expect(row_of(page, report)).to_have_count(0)
    expect(markers(page)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/control/\?(.+&)?category=theft-pickpocket(&|$)"))

    category.select_option("theft")  # a main category includes its sub-categories
    expect(row_of(page, report)).to_be_visible()
    expect(markers(page)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/control/\?(.+&)?category=theft(&|$)"))
    assert not_reloaded(page)
    expect(page.locator("#live-status")).to_have_text(LIVE)  # the stream survived the swap


def test_axe_finds_nothing_serious_on_the_queue_and_a_report(open_desk: OpenDesk, file_theft: FileTheft) -> None:
    reports = [file_theft(), file_theft()]  # two reports at one place: a row each and a cluster
    page = control_room(open_desk, "cop", "police")
    for report in reports:
        expect(row_of(page, report)).to_be_visible()
    expect(markers(page).first).to_be_visible()
    assert_accessible(page, "/control/ with rows")

    page.goto(f"/control/reports/{reports[0].pk}/")
    expect(page.locator("h1")).to_contain_text(reports[0].reference)
    assert_accessible(page, "a report's page")


def test_the_queue_works_with_the_keyboard(open_desk: OpenDesk, file_theft: FileTheft) -> None:
    older, newer = file_theft(), file_theft()
    page = control_room(open_desk, "cop", "police")
    expect(row_of(page, newer)).to_be_visible()

    tab_to(page, "#f-q")
    for control in ("#f-category", "#f-status", "#f-area", "#f-agency", "#f-deadline"):
        page.keyboard.press("Tab")
        assert focused_matches(page, control), f"Tab after the search went to {focused_html(page)}"
    tab_to(page, "#queue-rows tr:first-child a")
    assert page.evaluate("document.activeElement.textContent") == newer.reference  # newest first

    page.keyboard.press("Enter")
    page.wait_for_url(f"**/control/reports/{newer.pk}/")
    expect(page.locator("h1")).to_contain_text(newer.reference)
    assert older.reference not in page.locator("h1").inner_text()
