"""Walk me home on a phone: start a walk, the page shares the position, a contact sees it on the
map, and the alert button asks before it alerts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from streetlight.companion.models import Position, Walk

from .helpers import OpenPage, Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_walk_shares_position_and_alerts(open_page: OpenPage, site: Site) -> None:
    page = open_page(geolocation=site.city_point)
    page.goto("/walk/")
    assert_accessible(page, "walk start")
    page.locator("#id_destination").fill("Home")
    page.locator("#id_arrival_minutes").fill("25")
    page.locator("#id_contact_email_1").fill("ana@example.org")
    page.get_by_role("button", name="Start my walk").tap()
    page.wait_for_url(re.compile(r"/walk/[\w-]{20,}/$"))
    expect(page.locator("#share-status")).to_contain_text("Sharing your position", timeout=10_000)
    assert_accessible(page, "walk page")
    assert Position.objects.count() == 1
    link = re.search(r"/walk/watch/\S+/", str(mail.outbox[0].body))
    assert link is not None

    contact = open_page()
    contact.goto(link.group(0))
    expect(contact.locator("#watch-last")).to_contain_text(f"{round(site.city_point[0], 6)}")
    expect(contact.locator("#watch-map .leaflet-marker-icon")).to_have_count(1)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Alert my contacts now").tap()
    page.wait_for_url(re.compile(r"\?done=alerted$"))
    expect(page.locator("#walk-status")).to_contain_text("Your contacts have been alerted")
    assert Walk.objects.get().status == "alerted"
