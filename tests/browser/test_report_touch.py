"""A full report in English on a phone, by touch: every step, a photo, and the confirmation with
guidance. Also takes the README's screenshot of the first step."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from streetlight.reports.models import Photo, Report

from .helpers import DONE_URL, OpenPage, Site, pin_is_in_the_city, small_jpeg, visible_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "report-form.png"


def test_full_report_by_touch(open_page: OpenPage, site: Site, tmp_path: Path) -> None:
    here = (site.city_point[0] + 0.0004, site.city_point[1] - 0.0003)
    page = open_page(geolocation=here)
    page.goto("/report/")

    # Step 1 of 6 only; the README's screenshot is this view.
    expect(page.locator(".step-progress")).to_have_text("Step 1 of 6")
    assert visible_step(page) == ["step-what"]
    expect(page.locator("[data-submit-row]")).to_be_hidden()
    shot = page.screenshot(scale="css", animations="disabled")
    assert shot.startswith(b"\x89PNG")
    if os.environ.get("STREETLIGHT_SCREENSHOTS") == "1" or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.write_bytes(shot)

    # The search box narrows the list to the matching groups, opened.
    page.locator("#category-search").tap()
    page.keyboard.type("bike")
    expect(page.locator("#cat-theft-bike")).to_be_visible()
    expect(page.locator("#cat-hate-verbal")).to_be_hidden()
    page.locator("label[for=cat-theft-bike]").tap()
    expect(page.locator("#cat-theft-bike")).to_be_checked()
    page.locator("[data-step-next]").tap()

    # Where: tap the map, then "Use my location" moves the pin to the phone's position.
    assert visible_step(page) == ["step-where"]
    page.locator("#map").tap()  # its centre: the map frames the city
    expect(page.locator("#pin-status")).not_to_be_empty()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert pin_is_in_the_city(page), page.locator("#pin-status").inner_text()
    page.locator("#use-my-location").tap()
    expect(page.locator("#id_lat")).to_have_value(f"{here[0]:.6f}")
    expect(page.locator("#id_lon")).to_have_value(f"{here[1]:.6f}")
    expect(page.locator("#id_location_kind_0")).to_be_checked()
    page.locator("[data-step-next]").tap()

    # When: a moment given; the date field appears only for it.
    expect(page.locator("#id_occurred_from")).to_be_hidden()
    page.locator("label[for=id_when_1]").tap()
    expect(page.locator("#id_occurred_from")).to_be_visible()
    expect(page.locator("#id_occurred_to")).to_be_hidden()
    local = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)) - timedelta(days=1)
    moment = local.replace(hour=21, minute=15, second=0, microsecond=0)
    page.locator("#id_occurred_from").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[data-step-next]").tap()

    # Describe, with a photo.
    description = "My blue bike was taken from the rack; the lock was cut."
    page.locator("#id_description").tap()
    page.keyboard.type(description)
    page.locator("#id_photos").set_input_files(small_jpeg(tmp_path / "bike.jpg"))
    page.locator("[data-step-next]").tap()

    # Who: victim support and the city.
    page.locator("label[for=id_recipients_1]").tap()
    page.locator("label[for=id_recipients_3]").tap()
    expect(page.locator("input[name=recipients][value=victim_support]")).to_be_checked()
    expect(page.locator("input[name=recipients][value=city]")).to_be_checked()
    page.locator("[data-step-next]").tap()

    # Contact: nothing; send.
    assert visible_step(page) == ["step-contact"]
    expect(page.locator("#id_may_contact")).not_to_be_checked()
    page.locator("[data-submit-row] button[type=submit]").tap()
    page.wait_for_url(DONE_URL)

    report = Report.objects.get()
    expect(page.locator(".panel-success strong")).to_have_text(report.reference)
    link = page.locator("#followup-link")
    expect(link).to_be_visible()
    assert "/f/" in (link.get_attribute("href") or "")
    guidance = page.locator("section.guidance")
    expect(guidance.locator("h2")).to_have_text("What you can do now")
    assert guidance.locator("ol.steps li").count() >= 1
    assert guidance.locator("ul.services li.service").count() >= 1

    assert report.category.code == "theft-bike"
    assert (report.language, report.source, report.when_kind) == ("en", "web", "at")
    assert report.occurred_from == moment
    assert report.location_kind == "point"
    assert report.lat == pytest.approx(here[0], abs=1e-6)
    assert report.lon == pytest.approx(here[1], abs=1e-6)
    assert report.description == description
    consent = (
        report.share_police,
        report.share_victim_support,
        report.share_social_services,
        report.share_city,
        report.may_contact,
        report.public_statistics,
    )
    assert consent == (False, True, False, True, False, True)
    assert Photo.objects.filter(report=report).count() == 1
