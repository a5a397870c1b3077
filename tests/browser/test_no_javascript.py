"""With JavaScript off the report form is one plain page: every step shown, a normal post, the
confirmation page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from streetlight.reports.models import Report

from .helpers import DONE_URL, STEP_IDS, OpenPage, Site, visible_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_form_works_without_javascript(open_page: OpenPage, site: Site) -> None:
    page = open_page(javascript=False)
    page.goto("/report/")

    assert visible_step(page) == STEP_IDS
    for selector in (".step-nav", ".step-progress", "#category-search", "#use-my-location", "#map"):
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("[data-submit-row] button[type=submit]")).to_be_visible()

    page.locator("details:has(#cat-harassment-comments) > summary").click()
    page.locator("#cat-harassment-comments").check()
    expect(page.locator("#id_location_kind_0")).to_be_checked()  # a point, typed as coordinates
    page.locator(".coordinates > summary").click()
    lat, lon = site.city_point
    page.locator("#id_lat").fill(f"{lat:.6f}")
    page.locator("#id_lon").fill(f"{lon:.6f}")
    expect(page.locator("#id_when_0")).to_be_checked()
    page.locator("#id_description").fill("A man shouted at me and followed me to the bus stop.")
    page.locator("input[name=recipients][value=police]").check()
    page.locator("input[name=recipients][value=social_services]").check()
    page.locator("[data-submit-row] button[type=submit]").click()
    page.wait_for_url(DONE_URL)

    report = Report.objects.get()
    expect(page.locator(".panel-success strong")).to_have_text(report.reference)
    expect(page.locator("#followup-link")).to_be_visible()
    assert report.category.code == "harassment-comments"
    assert (report.location_kind, report.when_kind, report.language) == ("point", "now", "en")
    assert report.lat == pytest.approx(lat, abs=1e-6)
    assert report.lon == pytest.approx(lon, abs=1e-6)
    assert report.recipients == ["police", "social_services"]
    assert report.public_statistics and not report.may_contact
