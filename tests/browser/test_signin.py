"""The staff sign-in screens in a real browser: keyboard only, accessible, and the QR code drawn
without any request leaving the site."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from streetlight.accounts.models import User
from streetlight.routing.models import Agency, Membership
from tests.staff import PASSWORD

from .helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_by_keyboard_with_the_typed_key(open_desk: Callable[[], Page]) -> None:
    user = User.objects.create_user("night-supervisor", password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code="police"), role="supervisor")
    page = open_desk()
    page.goto("/accounts/login/")
    assert_accessible(page, "/accounts/login/")
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("User name").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/setup/")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page, "/accounts/login/setup/")

    page.get_by_label("Code").focus()
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("did not work")
    assert_accessible(page, "/accounts/login/setup/ with an error")

    typed = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    # django-otp makes the try after a wrong code wait a second; a person types slower than that
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page.get_by_label("Code").fill("")
    page.get_by_label("Code").focus()
    page.keyboard.type(f"{TOTP(key).token():06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/backup-codes/")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert_accessible(page, "/accounts/login/backup-codes/")
    page.get_by_role("link", name="I have kept them, continue").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/control/")
    expect(page.get_by_text("Signed in as night-supervisor")).to_be_visible()
