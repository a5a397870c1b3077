"""Validation errors, with and without JavaScript: the error summary is shown and takes the focus,
and each of its links puts the focus on the field it names."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from streetlight.reports.models import Report

from .helpers import OpenPage, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_summary(page: Page, *must_link: str) -> None:
    """The summary has the focus, links to each of `must_link`, and each link focuses its field."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    for href in must_link:
        expect(summary.locator(f'a[href="{href}"]')).to_have_count(1)
    links = summary.locator("a")
    for i in range(links.count()):
        target = str(links.nth(i).get_attribute("href"))
        links.nth(i).click()
        expect(page.locator(target), f"the link to {target} focuses it").to_be_focused()
        expect(page.locator(target)).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_error_summary_takes_focus_and_links_to_fields(open_page: OpenPage, javascript: bool) -> None:
    page = open_page(javascript=javascript)
    if javascript:
        quick_report(page, category=False, description="", recipients=())
    else:
        page.goto("/report/")
    send(page)
    check_summary(page, "#id_category", "#id_recipients_0")
    # A page with errors shows every field at once.
    expect(page.locator("#step-who")).to_be_visible()
    expect(page.locator("[data-submit-row]")).to_be_visible()

    # Category and recipients chosen, text still empty: now the description is named.
    page.locator("details:has(#cat-theft-bike) > summary").click()
    page.locator("#cat-theft-bike").check()
    page.locator("input[name=location_kind][value=none]").check()
    page.locator("input[name=recipients][value=none]").check()
    send(page)
    check_summary(page, "#id_description")
    expect(page.locator("#error-summary a")).to_have_count(1)
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    expect(page.locator("input[name=recipients][value=none]")).to_be_checked()
    assert Report.objects.count() == 0

    page.locator("#id_description").fill("Someone tried to open my bike lock.")
    send(page)
    page.wait_for_url("**/report/done/")
    assert Report.objects.get().statistics_only
