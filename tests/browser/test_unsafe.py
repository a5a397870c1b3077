"""'I feel unsafe here' in two taps, in Dutch (from the phone's language) and in Italian (from the
language switcher)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from streetlight.reports.models import Report

from .helpers import DONE_URL, OpenPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pin_here(page: Page, here: tuple[float, float]) -> None:
    page.locator("#use-my-location").tap()
    expect(page.locator("#id_lat")).to_have_value(f"{here[0]:.6f}")
    expect(page.locator("#id_lon")).to_have_value(f"{here[1]:.6f}")
    expect(page.locator("#pin-status")).not_to_be_empty()


def test_unsafe_in_dutch_is_statistics_only(open_page: OpenPage, site: Site) -> None:
    here = (site.city_point[0] - 0.0005, site.city_point[1] + 0.0002)
    page = open_page(locale="nl-NL", accept_language="nl", geolocation=here)
    page.goto("/unsafe/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    pin_here(page, here)
    page.locator("label[for=id_reasons_0]").tap()  # poor lighting
    page.locator("label[for=id_day_night_1]").tap()  # night
    expect(page.locator("#id_tell_city")).not_to_be_checked()
    page.locator("#id_safety_score_1").tap()  # 2: unsafe; the tap sends
    page.wait_for_url(DONE_URL)
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    report = Report.objects.get()
    expect(page.locator(".panel-success strong")).to_have_text(report.reference)
    assert (report.kind, report.category.code, report.language) == ("feeling", "unsafe", "nl")
    assert report.safety_score == 2
    assert report.day_night == "night"
    assert report.unsafe_reasons == ["lighting"]
    assert report.location_kind == "point"
    assert report.lat == pytest.approx(here[0], abs=1e-6)
    assert report.lon == pytest.approx(here[1], abs=1e-6)
    assert report.statistics_only and not report.share_city


def test_unsafe_in_italian_tells_the_city_when_ticked(open_page: OpenPage, site: Site) -> None:
    here = site.city_point
    page = open_page(geolocation=here)
    page.goto("/unsafe/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The header's language switcher: choose, then "Change"; the same page comes back in Italian.
    page.locator("#language-select").select_option("it")
    page.locator(".lang button[type=submit]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert page.url.endswith("/unsafe/")

    pin_here(page, here)
    day_night = page.locator("input[name=day_night]:checked").input_value()
    assert day_night in {"day", "night"}, "the page preselects day or night from the clock"
    page.locator("label[for=id_tell_city]").tap()
    expect(page.locator("#id_tell_city")).to_be_checked()
    page.locator("#id_safety_score_3").tap()  # 4: fairly safe
    page.wait_for_url(DONE_URL)

    report = Report.objects.get()
    assert (report.kind, report.language, report.safety_score) == ("feeling", "it", 4)
    assert report.day_night == day_night
    assert report.unsafe_reasons == []
    assert report.share_city and not report.statistics_only
    assert not (report.share_police or report.share_victim_support or report.share_social_services)
    assert report.public_statistics and not report.may_contact
