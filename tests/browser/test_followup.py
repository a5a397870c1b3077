"""The private follow-up link: from the confirmation page to the report, and adding information."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from streetlight.reports.models import Message, Report

from .helpers import DONE_URL, OpenPage, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_followup_link_opens_the_report_and_takes_more_information(open_page: OpenPage) -> None:
    page = open_page()
    quick_report(page)
    send(page)
    page.wait_for_url(DONE_URL)
    report = Report.objects.get()

    page.locator("#followup-link").tap()
    page.wait_for_url("**/f/*/")
    expect(page.locator("h1")).to_contain_text(report.reference)
    expect(page.locator("#current-status")).not_to_be_empty()
    expect(page.locator(".messages li")).to_have_count(0)

    added = "The bike had a red basket; a neighbour saw two men with bolt cutters."
    page.locator("#id_body").fill(added)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("section[aria-labelledby=add-title] button[type=submit]").tap()
    origin = posted.value.request.header_value("origin")
    assert posted.value.status == 302, (
        f"adding information was refused ({posted.value.status}); the browser sent Origin: {origin}"
    )
    page.wait_for_url("**/f/*/?added=1#messages")
    expect(page.locator("#messages [role=status]")).to_be_visible()
    expect(page.locator(".messages li")).to_have_count(1)
    expect(page.locator(".messages li.message-reporter")).to_contain_text(added)

    message = Message.objects.get()
    assert (message.report_id, message.author_kind, message.body) == (report.pk, "reporter", added)
    assert message.public
