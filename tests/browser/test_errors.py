"""Validation errors, with and without JavaScript: the error summary is shown and takes the focus,
and each of its links puts the focus on the field it names."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from streetlight.reports.models import Report

from .helpers import OpenPage, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_without_steps(page: Page) -> None:
    """The same answers as quick_report, on the page that shows every step at once."""
    page.goto("/report/")
    page.locator("details:has(#cat-theft-bike) > summary").click()
    page.locator("#cat-theft-bike").check()
    page.locator("input[name=location_kind][value=none]").check()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_error_summary_takes_focus_and_links_to_fields(open_page: OpenPage, javascript: bool) -> None:
    page = open_page(javascript=javascript)
    if javascript:
        quick_report(page, description="", recipients=())
    else:
        fill_without_steps(page)
    send(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(2)
    targets = [links.nth(i).get_attribute("href") for i in range(2)]
    assert targets == ["#id_description", "#id_recipients_0"]

    for i, target in enumerate(targets):
        links.nth(i).click()
        expect(page.locator(str(target))).to_be_focused()
        expect(page.locator(str(target))).to_be_in_viewport()

    # The category chosen is kept; every field is in view (no steps on a page with errors).
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    expect(page.locator("[data-submit-row]")).to_be_visible()
    assert Report.objects.count() == 0
