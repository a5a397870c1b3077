"""The analysts' dashboard in Chromium: the map draws the cells, the month slider redraws them, the
chart and downloads are there, the forecast flashpoints of tomorrow or the next weekend can be laid on
the map beside their cards, so can the density of reports, the context calendar takes an event, and
axe finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from streetlight.demo.seed import seed_reports
from streetlight.insight.forecasting import forecast_run
from streetlight.insight.models import ContextEvent

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


def test_an_analyst_lays_tomorrows_or_the_weekends_flashpoints_on_the_map(open_desk: OpenDesk) -> None:
    seed_reports(n=600, seed=9)
    forecast_run(horizon="day")
    forecast_run(horizon="weekend")
    page = sign_in(open_desk, "forecast-analyst", "police", "analyst")
    page.goto("/insight/")
    expect(page.locator("#insight-map path.leaflet-interactive").first).to_be_visible()
    flashpoints = page.locator("#insight-map path.flashpoint")
    assert flashpoints.count() == 0
    page.get_by_role("radio", name="Next weekend").check()
    expect(flashpoints.first).to_be_visible()
    weekend = flashpoints.count()
    assert weekend > 0
    page.get_by_role("radio", name="Tomorrow").check()
    expect(flashpoints.first).to_be_visible()
    page.get_by_role("radio", name="None", exact=True).check()
    expect(flashpoints).to_have_count(0)
    expect(page.locator("#forecast-card-day")).to_contain_text("Prospective hotspotting")
    expect(page.locator("#forecast-card-weekend")).to_contain_text("past weekends")
    assert_accessible(page, "the insight dashboard with its forecast cards")


def test_an_analyst_lays_the_density_of_reports_on_the_map(open_desk: OpenDesk) -> None:
    seed_reports(n=300, seed=10)
    page = sign_in(open_desk, "density-analyst", "police", "analyst")
    page.goto("/insight/")
    expect(page.locator("#insight-map path.leaflet-interactive").first).to_be_visible()
    density = page.locator("#insight-map path.density")
    assert density.count() == 0
    toggle = page.get_by_label("Show the density of reports (kernel density)")
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()
    expect(density.first).to_be_visible()
    expect(page.locator("#density-legend")).to_contain_text("per km²")
    assert_accessible(page, "the insight dashboard with the density layer")
    toggle.uncheck()
    expect(density).to_have_count(0)
    expect(page.locator("#density-legend")).to_have_text("")


def test_an_analyst_adds_an_event_to_the_context_calendar(open_desk: OpenDesk, city_point: tuple[float, float]) -> None:
    page = sign_in(open_desk, "calendar-analyst", "police", "analyst")
    page.goto("/insight/calendar/")
    page.get_by_role("link", name="Add a public event").click()
    page.get_by_label("Name", exact=True).fill("Derby at the stadium")
    page.get_by_label("Kind").select_option("match")
    page.get_by_label("Start", exact=True).fill("2026-12-05T18:00")
    page.get_by_label("End", exact=True).fill("2026-12-05T17:00")
    page.get_by_label("Latitude").fill(str(city_point[0]))
    page.get_by_label("Longitude").fill(str(city_point[1]))
    page.get_by_label("Expected attendance").fill("30000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-summary")).to_contain_text("The end must be after the start.")
    assert_accessible(page, "the event form with an error")
    page.get_by_label("End", exact=True).fill("2026-12-05T21:00")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/insight/calendar/")
    expect(page.locator("#calendar-events")).to_contain_text("Derby at the stadium")
    assert ContextEvent.objects.get().size == 30000
    assert_accessible(page, "the context calendar")
