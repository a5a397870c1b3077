"""Staff sign-in: password then code for every role, the first-time authenticator set-up, backup
codes, the lockout after repeated failures, and the password-and-code check before personal data."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from streetlight.accounts import signin
from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from tests.staff import PASSWORD, authenticator, member, signed_in

pytestmark = pytest.mark.django_db


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, "next": next_url})


@pytest.fixture
def operator() -> User:
    return member("police", "operator", "officer-ana")


def test_the_password_alone_signs_nobody_in(operator: User) -> None:
    authenticator(operator)
    client = Client()
    response = password_step(client, operator.username)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    queue = client.get("/control/")
    assert queue.status_code == 302 and queue["Location"].startswith("/accounts/login/")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(operator: User) -> None:
    response = password_step(Client(), operator.username, "not-the-password")
    assert response.status_code == 400
    assert "did not match" in response.content.decode()


def test_first_sign_in_sets_up_the_authenticator_then_shows_backup_codes_once(operator: User) -> None:
    client = Client()
    assert password_step(client, operator.username, next_url="/control/?status=new")["Location"] == (
        "/accounts/login/setup/"
    )
    page = client.get("/accounts/login/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code is inline: no request leaves the site
    typed_key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert typed_key is not None
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    assert typed_key.group(1).replace(" ", "") == signin.secret_for_typing(device).replace(" ", "")

    wrong = client.post("/accounts/login/setup/", {"code": "000000" if code_now(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "did not work" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait

    done = client.post("/accounts/login/setup/", {"code": code_now(device)})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/backup-codes/"
    codes_page = client.get("/accounts/login/backup-codes/")
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())
    assert len(codes) == signin.BACKUP_CODES and "no-store" in codes_page["Cache-Control"]
    assert 'href="/control/?status=new"' in codes_page.content.decode()
    assert client.get("/accounts/login/backup-codes/").status_code == 302  # shown once
    assert client.get("/control/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    actions = set(AuditEntry.objects.filter(target_id=str(operator.pk)).values_list("action", flat=True))
    assert {"account.authenticator_enrolled", "account.backup_codes_created", "account.signed_in"} <= actions


def test_sign_in_with_the_app_code(operator: User) -> None:
    device = authenticator(operator)
    client = Client()
    password_step(client, operator.username, next_url="/control/")
    wrong = client.post("/accounts/login/code/", {"code": "12345x"})
    assert wrong.status_code == 400 and "did not work" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="account.code_refused", target_id=str(operator.pk)).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes a wrong code wait before the next try
    response = client.post("/accounts/login/code/", {"code": code_now(device)})
    assert response.status_code == 302 and response["Location"] == "/control/"
    assert client.get("/control/").status_code == 200


def test_a_backup_code_works_once(operator: User) -> None:
    authenticator(operator)
    code = signin.backup_codes_create(user=operator, actor=operator)[0]
    first = Client()
    password_step(first, operator.username)
    assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
    again = Client()
    password_step(again, operator.username)
    assert again.post("/accounts/login/code/", {"code": code}).status_code == 400
    assert not StaticDevice.objects.get(user=operator).token_set.filter(token=code).exists()


def test_the_code_step_expires(operator: User) -> None:
    authenticator(operator)
    client = Client()
    password_step(client, operator.username)
    session = client.session
    state = session[signin.PENDING_KEY]
    session[signin.PENDING_KEY] = {**state, "at": time.time() - signin.PENDING_SECONDS - 1}
    session.save()
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_repeated_wrong_passwords_pause_sign_in_for_that_name_from_that_address(operator: User, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert password_step(client, operator.username, "guess").status_code in (400, 429)
    paused = password_step(client, operator.username)  # even the right password waits
    assert paused.status_code == 429
    assert "too many wrong passwords" in paused.content.decode()
    other = member("police", "supervisor", "officer-bo")
    authenticator(other)
    assert password_step(client, other.username).status_code == 302  # others are not locked out


def test_a_session_without_a_second_factor_is_signed_out(operator: User) -> None:
    client = Client()
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/control/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_device_of_someone_else_does_not_verify_a_session(operator: User) -> None:
    other = member("police", "supervisor", "officer-bo")
    client = Client()
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = authenticator(other).persistent_id
    session.save()
    assert client.get("/control/").status_code == 302


def test_next_never_leaves_the_site(operator: User) -> None:
    device = authenticator(operator)
    client = Client()
    password_step(client, operator.username, next_url="https://evil.example/steal")
    response = client.post("/accounts/login/code/", {"code": code_now(device)})
    assert response["Location"] == "/control/"


def test_the_admin_sign_in_goes_through_the_same_two_steps() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_export_and_contact_ask_for_password_and_code_again_after_a_while(operator: User) -> None:
    client = signed_in(operator, recently_confirmed=False)
    export = client.get("/control/export.csv?status=new")
    assert export.status_code == 302
    assert export["Location"] == "/accounts/confirm/?next=%2Fcontrol%2Fexport.csv%3Fstatus%3Dnew"
    contact = client.post("/control/reports/1/contact/", {"purpose": "call back"})
    assert contact["Location"] == "/accounts/confirm/?next=%2Fcontrol%2Freports%2F1%2F"

    page = client.get(export["Location"])
    assert page.status_code == 200
    refused = client.post("/accounts/confirm/", {"password": "wrong", "code": "000000", "next": "/control/export.csv"})
    assert refused.status_code == 400
    assert AuditEntry.objects.filter(action="account.reauthentication_refused").exists()
    device = authenticator(operator)
    device.throttle_reset()
    ok = client.post(
        "/accounts/confirm/", {"password": PASSWORD, "code": code_now(device), "next": "/control/export.csv"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/control/export.csv"
    assert client.get("/control/export.csv").status_code == 200


def test_an_administrator_resets_a_lost_authenticator(operator: User) -> None:
    authenticator(operator)
    admin = User.objects.create_superuser("city-admin", password=PASSWORD)
    client = signed_in(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [operator.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert AuditEntry.objects.filter(action="account.second_factor_reset", target_id=str(operator.pk)).exists()
    assert password_step(Client(), operator.username)["Location"] == "/accounts/login/setup/"


def test_sign_out_ends_the_session(operator: User) -> None:
    client = signed_in(operator)
    assert "Sign out" in client.get("/control/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/control/").status_code == 302
