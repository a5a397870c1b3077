"""axe-core on every resident page, as a phone shows it: no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import DONE_URL, OpenPage, assert_accessible, next_step, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/unsafe/", "/followup/"])
def test_simple_pages(open_page: OpenPage, path: str) -> None:
    page = open_page()
    page.goto(path)
    if path == "/unsafe/":
        expect(page.locator("#map .leaflet-pane").first).to_be_attached()
    assert_accessible(page, path)


def test_report_form_first_step_and_map_step(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/report/")
    expect(page.locator(".step-progress")).to_have_text("Step 1 of 6")
    assert_accessible(page, "/report/ step 1")
    page.locator("#category-search").fill("bike")  # opened groups are checked too
    assert_accessible(page, "/report/ step 1, searched")
    page.locator("#cat-theft-bike").check()
    next_step(page)
    page.locator("#use-my-location").click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page, "/report/ where step with a pin")


def test_report_form_with_errors(open_page: OpenPage) -> None:
    page = open_page()
    quick_report(page, description="", recipients=())
    send(page)
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "/report/ with errors")


def test_confirmation_and_followup_pages(open_page: OpenPage) -> None:
    page = open_page()
    quick_report(page)
    send(page)
    page.wait_for_url(DONE_URL)
    assert_accessible(page, "the confirmation page")
    page.locator("#followup-link").click()
    page.wait_for_url("**/f/*/")
    assert_accessible(page, "the follow-up page")


@pytest.mark.parametrize(
    "path",
    ["/alerts/", "/alerts/subscriptions/", "/business/", "/business/cyber/ransomware/", "/walk/", "/walk/privacy/"],
)
def test_warning_business_and_walk_pages(open_page: OpenPage, path: str) -> None:
    page = open_page()
    page.goto(path)
    assert_accessible(page, path)


def test_a_published_warning(open_page: OpenPage) -> None:
    from streetlight.alerts.services import alert_issue
    from tests.alerts.factories import draft

    alert = alert_issue(draft=draft(), by=None)
    page = open_page()
    page.goto("/alerts/")
    page.get_by_role("link", name="Bike thefts around the station").click()
    page.wait_for_url(f"**/alerts/{alert.identifier}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bike thefts around the station")
    assert_accessible(page, "a warning's page")
