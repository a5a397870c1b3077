"""A dropped connection loses nothing and duplicates nothing: the typed report survives a reload
(draft in the tab) and two failed sends, and the retries reuse the same idempotency key."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect

from streetlight.reports.models import Report

from .helpers import DONE_URL, OpenPage, next_step, quick_report, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_IN_BODY = re.compile(rb'name="idempotency_key"\r\n\r\n([^\r]*)\r\n')


def test_report_survives_a_reload_and_a_failing_connection(open_page: OpenPage) -> None:
    page = open_page()
    description = "Two people snatched a phone from a woman at the tram stop and ran off."
    quick_report(page, description=description, recipients=("police", "victim_support"))
    key = page.locator("input[name=idempotency_key]").input_value()
    assert key

    # A reload before sending keeps what was typed, and the key: it is the same report.
    page.reload()
    expect(page.locator(".step-progress")).to_have_text("Step 1 of 6")
    expect(page.locator("#id_description")).to_have_value(description)
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    expect(page.locator("input[name=recipients][value=victim_support]")).to_be_checked()
    assert page.locator("input[name=idempotency_key]").input_value() == key
    for _ in range(5):
        next_step(page)

    # The first two sends fail at network level; the third goes through.
    sent_keys: list[bytes] = []

    def flaky(route: Route) -> None:
        if route.request.method != "POST":
            route.fallback()
            return
        found = KEY_IN_BODY.search(route.request.post_data_buffer or b"")
        sent_keys.append(found.group(1) if found else b"")
        if len(sent_keys) <= 2:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/report/", flaky)
    send(page)
    status = page.locator("#send-status")
    expect(status).to_have_class(re.compile(r"\boffline\b"))
    offline_text = page.locator("#msg-offline").inner_html().strip()
    expect(status).to_have_text(offline_text)
    expect(page.locator("#id_description")).to_have_value(description)
    assert Report.objects.count() == 0

    page.wait_for_url(DONE_URL, timeout=20_000)  # retries after 2 s, then 4 s
    assert sent_keys == [key.encode()] * 3
    report = Report.objects.get()
    assert report.idempotency_key == key
    assert report.description == description
    assert (report.share_police, report.share_victim_support) == (True, True)
    expect(page.locator(".panel-success strong")).to_have_text(report.reference)

    # Sent: the draft is gone, a new form starts empty with a new key.
    page.goto("/report/")
    expect(page.locator("#id_description")).to_have_value("")
    assert page.locator("input[name=idempotency_key]").input_value() != key
