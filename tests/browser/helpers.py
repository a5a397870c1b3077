"""Shared pieces of the browser tests: types for the fixtures, keyboard helpers that only press keys,
a quick way through the report form, and axe-core."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Page, expect


@dataclass
class Site:
    """The live server with the demo city loaded."""

    url: str
    city_point: tuple[float, float]


@dataclass
class PageLog:
    """What pages did that no test asked for."""

    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


class OpenPage(Protocol):
    def __call__(
        self,
        *,
        locale: str = "en-GB",
        accept_language: str | None = None,
        javascript: bool = True,
        geolocation: tuple[float, float] | None = None,
    ) -> Page: ...


STEP_IDS = ["step-what", "step-where", "step-when", "step-describe", "step-who", "step-contact"]
DONE_URL = re.compile(r"/report/done/$")


# Keyboard: read where the focus is, press keys, never click.


def focused_matches(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector))


def focused_html(page: Page) -> str:
    return str(
        page.evaluate("() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 200) : 'none'; }")
    )


def press_until(page: Page, key: str, selector: str, *, limit: int = 60) -> None:
    """Press `key` until the focused element matches `selector`."""
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press(key)
    assert focused_matches(page, selector), (
        f"{key} pressed {limit} times never reached {selector!r}; the focus is on {focused_html(page)}"
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 60) -> None:
    press_until(page, "Shift+Tab" if backwards else "Tab", selector, limit=limit)


def focused_step_heading(page: Page) -> str | None:
    """The id of the step whose heading has the focus, or None when the focus is elsewhere."""
    result = page.evaluate(
        "() => { const e = document.activeElement;"
        " return e && e.tagName === 'H2' && e.closest('.step') ? e.closest('.step').id : null; }"
    )
    return str(result) if result else None


def visible_step(page: Page) -> list[str]:
    return [s for s in STEP_IDS if page.locator(f"#{s}").is_visible()]


def pin_is_in_the_city(page: Page) -> bool:
    """Whether the coordinates the map wrote into the form fall in one of the city's areas."""
    from streetlight.reports.geo import area_index

    lat, lon = page.locator("#id_lat").input_value(), page.locator("#id_lon").input_value()
    index = area_index()
    return bool(lat and lon and index is not None and index.locate(float(lat), float(lon)))


# The report form, by pointer.


def next_step(page: Page) -> None:
    page.locator("[data-step-next]").click()


def quick_report(
    page: Page,
    *,
    category: bool = True,
    description: str = "Someone cut the lock of my bike at the station rack.",
    recipients: tuple[str, ...] = ("police",),
) -> None:
    """Fill the stepped form (a stolen bike, no place, now, text, recipients) to the last step."""
    page.goto("/report/")
    if category:
        page.locator("#category-search").fill("bike")
        page.locator("#cat-theft-bike").check()
    next_step(page)
    page.locator("input[name=location_kind][value=none]").check()
    next_step(page)
    next_step(page)  # when: "now" is the default
    page.locator("#id_description").fill(description)
    next_step(page)
    for name in recipients:
        page.locator(f"input[name=recipients][value={name}]").check()
    next_step(page)
    expect(page.locator("[data-submit-row] button[type=submit]")).to_be_visible()


def send(page: Page) -> None:
    page.locator("[data-submit-row] button[type=submit]").click()


def small_jpeg(path: Path) -> Path:
    Image.new("RGB", (64, 48), (30, 90, 160)).save(path, format="JPEG")
    return path


# axe-core, with the script shipped in axe-playwright-python: nothing is fetched.

_axe = Axe()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"axe on {where}:\n{describe_violations(violations)}"


def desk_sign_in(open_desk: Callable[[], Page], username: str, agency: str, role: str) -> Page:
    """A new member of `agency` with `role`, signed in by typing at /accounts/login/: password, then
    setting up the authenticator with the key shown on screen (as an app without a camera would),
    then past the backup codes to the queue."""
    from django_otp.oath import TOTP

    from streetlight.accounts.models import User
    from streetlight.routing.models import Agency, Membership
    from tests.staff import PASSWORD

    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code=agency), role=role)
    page = open_desk()
    page.goto("/accounts/login/")
    page.get_by_label("User name").press_sequentially(username)
    page.get_by_label("Password").press_sequentially(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/login/setup/")
    typed = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.get_by_label("Code").press_sequentially(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/login/backup-codes/")
    page.get_by_role("link", name="I have kept them, continue").click()
    page.wait_for_url("**/control/")
    return page
