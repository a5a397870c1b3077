"""A safety-walk audit on a phone: two places along the route, located with the phone, rated by
tapping the labels, a second place added without reloading, sent, thanked — and the form passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from streetlight.nightwalks.models import WalkAudit

from .helpers import OpenPage, Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_safety_walk_audit_on_a_phone(open_page: OpenPage, site: Site) -> None:
    here = (site.city_point[0] + 0.0004, site.city_point[1] - 0.0003)
    page = open_page(geolocation=here)
    page.goto("/safety-walks/")
    page.get_by_role("link", name="Start an audit on my own").tap()
    page.wait_for_url(re.compile(r"/safety-walks/audit/$"))
    expect(page.locator("#nw-map")).to_be_visible()
    assert_accessible(page, "the safety-walk audit form")

    first = page.locator("#point-1")
    first.locator(".nw-locate").tap()
    expect(page.locator("#id_points-0-lat")).to_have_value(f"{here[0]:.6f}")
    expect(first.locator(".nw-pin-status")).to_contain_text("Place 1 is on the map")
    first.locator("label[for=id_points-0-lighting_1]").tap()  # 0 · No light
    first.locator("label[for=id_points-0-people_2]").tap()  # 1 · A few
    first.locator("label[for=id_points-0-feeling_0]").tap()  # 0 · Very unsafe
    page.locator("#id_points-0-comment").fill("The underpass lamp is broken.")

    page.locator("#add-point").tap()
    second = page.locator("#point-2")
    expect(second).to_be_visible()
    expect(page.locator("#id_points-TOTAL_FORMS")).to_have_value("2")
    second.locator(".nw-locate").tap()
    expect(page.locator("#id_points-1-lon")).to_have_value(f"{here[1]:.6f}")
    second.locator("label[for=id_points-1-feeling_3]").tap()  # 3 · Safe
    page.locator("#send-audit").tap()
    page.wait_for_url(re.compile(r"/safety-walks/thanks/$"))
    expect(page.locator(".panel-success")).to_contain_text("You rated 2 places")

    audit = WalkAudit.objects.get()
    first_point, second_point = audit.points.order_by("order")
    assert (first_point.lighting, first_point.people, first_point.feeling) == (0, 1, 0)
    assert first_point.comment == "The underpass lamp is broken."
    assert first_point.lat == pytest.approx(here[0], abs=1e-6) and first_point.area is not None
    assert (second_point.feeling, second_point.lighting) == (3, None)


def test_a_missing_feeling_is_named_on_the_phone(open_page: OpenPage, site: Site) -> None:
    page = open_page()
    page.goto("/safety-walks/audit/")
    page.locator("#point-1 .nw-locate").tap()
    expect(page.locator("#id_points-0-lat")).not_to_have_value("")
    page.locator("#send-audit").tap()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Place 1, Feeling: Say how safe you feel here")
    expect(summary).to_be_focused()
    assert WalkAudit.objects.count() == 0


@pytest.mark.parametrize("path", ["/safety-walks/", "/safety-walks/map/", "/safety-walks/join/"])
def test_the_safety_walk_pages_pass_axe(open_page: OpenPage, path: str) -> None:
    page = open_page()
    page.goto(path)
    assert_accessible(page, path)
