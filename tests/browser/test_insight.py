"""The analysts' dashboard in Chromium: the map draws the cells, the month slider redraws them, the
chart and downloads are there, and axe finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from streetlight.demo.seed import seed_reports

from .helpers import assert_accessible
from .test_control_room import OpenDesk
from .test_triage_screens import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reads_the_map_month_by_month(open_desk: OpenDesk) -> None:
    seed_reports(n=300, seed=5)
    page = sign_in(open_desk, "analyst", "police", "analyst")
    page.goto("/insight/")
    cells = page.locator("#insight-map path.leaflet-interactive")
    expect(cells.first).to_be_visible()
    whole_period = cells.count()
    assert whole_period > 3
    expect(page.locator("img.chart").first).to_be_visible()
    assert all(img.evaluate("img => img.naturalWidth") > 0 for img in page.locator("img.chart").all())
    assert_accessible(page, "the insight dashboard")

    page.get_by_label("Whole period").uncheck()
    slider = page.get_by_label("Month on the map")
    expect(slider).to_be_enabled()
    month = page.locator("#f-month-label")
    before = month.inner_text()
    slider.focus()
    page.keyboard.press("ArrowLeft")
    expect(month).not_to_have_text(before)
    expect(cells.first).to_be_visible()
    for _ in range(50):  # one month has fewer cells than the whole year (no string eval: the CSP forbids it)
        if cells.count() < whole_period:
            break
        page.wait_for_timeout(100)
    assert 0 < cells.count() < whole_period

    page.get_by_role("radio", name="Insecurity index per area").check()
    for _ in range(50):  # the areas replace the cells: far fewer shapes
        if 0 < cells.count() <= 12:
            break
        page.wait_for_timeout(100)
    assert 0 < cells.count() <= 12


def test_night_only_is_a_choice_that_survives_the_reload(open_desk: OpenDesk) -> None:
    seed_reports(n=200, seed=6)
    page = sign_in(open_desk, "night-analyst", "police", "analyst")
    page.goto("/insight/")
    page.get_by_role("radio", name="Night", exact=True).check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**daynight=night**")
    expect(page.get_by_role("radio", name="Night", exact=True)).to_be_checked()
    expect(page.locator("#insight-total")).to_contain_text("counted in this period")


def test_the_printable_report_opens_from_the_dashboard_and_is_accessible(open_desk: OpenDesk) -> None:
    seed_reports(n=200, seed=8)
    page = sign_in(open_desk, "council-analyst", "police", "analyst")
    page.goto("/insight/")
    page.get_by_role("button", name="Open the printable report").click()
    page.wait_for_url("**/insight/report/**")
    expect(page.locator("h1")).to_contain_text("Safety report")
    expect(page.locator("img").first).to_be_visible()
    assert_accessible(page, "the policy report")
