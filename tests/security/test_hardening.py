"""The small hardening changes made while mapping Streetlight to OWASP ASVS 5.0 (docs/security/asvs.md):
one test per change, named after what it guarantees."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import runpy
import sys
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from axes.models import AccessFailureLog
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

import streetlight.settings as settings_module
from streetlight.accounts import middleware
from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.core.logformat import LineFormatter
from streetlight.core.request_context import address_of
from tests.accounts import test_sso as sso
from tests.staff import PASSWORD, member, sign_in, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return member("police", "operator", "officer-ana")


def test_trace_and_track_are_refused_everywhere(client: Client) -> None:
    for path in ("/", "/api/v1/categories", "/accounts/login/"):
        for method in ("TRACE", "TRACK"):
            response = client.generic(method, path)
            assert response.status_code == 405 and b"TRACE" not in response.content


def test_with_https_on_the_api_refuses_plain_http_instead_of_redirecting(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/api/v1/categories", "/open311/v2/services.json"):
        refused = client.get(path)
        assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
        assert client.get(path, secure=True).status_code == 200
    assert client.get("/").status_code == 301  # people in a browser are still sent to https://


def test_what_staff_and_token_holders_receive_is_never_cached(
    client: Client, operator: User, report_json: dict[str, Any]
) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # public pages may be cached
    assert signed_in(operator).get("/control/")["Cache-Control"] == "no-store"
    created = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()
    followup = client.get("/api/v1/followup", headers={"Authorization": f"Bearer {created['followup_token']}"})
    assert followup.status_code == 200 and followup["Cache-Control"] == "no-store"


def test_under_https_every_cookie_is_secure_host_only_and_hsts_covers_subdomains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STREETLIGHT_HTTPS", "1")
    monkeypatch.delenv("DEBUG", raising=False)
    https = runpy.run_path(str(Path(settings_module.__file__)))
    assert https["DEBUG"] is False and https["SECURE_SSL_REDIRECT"] is True
    assert https["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert https[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        assert https[f"{cookie}_COOKIE_SECURE"] is True
        assert https[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert https.get(f"{cookie}_COOKIE_SAMESITE", "Lax") == "Lax"  # Django's default for the first two
        assert https.get(f"{cookie}_COOKIE_DOMAIN") is None and https.get(f"{cookie}_COOKIE_PATH", "/") == "/"
    assert "CookieStorage" not in https["MESSAGE_STORAGE"] and "Fallback" not in https["MESSAGE_STORAGE"]


def test_cookies_are_sent_with_the_configured_attributes(operator: User, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    settings.LANGUAGE_COOKIE_NAME = "__Host-language"
    client = Client()
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": operator.username, "password": PASSWORD})
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    for name in ("__Host-sessionid", "__Host-csrftoken", "__Host-language"):
        cookie = client.cookies[name]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", name
        assert cookie["path"] == "/" and not cookie["domain"], name
    assert "messages" not in client.cookies


def test_the_policy_forbids_base_object_framing_and_inline_script(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["base-uri"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"].startswith("'self'") and "unsafe" not in directives["script-src"]


def test_any_composition_is_allowed_but_not_the_words_of_this_service(settings: Any) -> None:
    validate_password("483920175533")  # all digits, long enough: no composition rule refuses it
    validate_password("correct horse battery staple")
    for weak in ("Streetlight-2026-rocks", "i-love-PORTAVERA-always"):
        with pytest.raises(ValidationError) as refused:
            validate_password(weak)
        assert refused.value.error_list[0].code == "password_context_word"
    settings.STREETLIGHT_PASSWORD_WORDS = ["Harbourside"]
    with pytest.raises(ValidationError):
        validate_password("a walk along harbourside at dawn")


def test_staff_change_their_password_with_the_old_one_and_other_sessions_end(operator: User) -> None:
    elsewhere = signed_in(operator)
    assert (
        signed_in(operator, recently_confirmed=False)
        .get("/accounts/password/")["Location"]
        .startswith("/accounts/confirm/")
    )
    client = signed_in(operator)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and 'type="password"' in page.content.decode()
    new = "a brand new long passphrase"
    wrong = client.post("/accounts/password/", {"old_password": "not-it", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200 and "old password" in wrong.content.decode()
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/changed/"
    operator.refresh_from_db()
    assert operator.check_password(new)
    assert AuditEntry.objects.filter(action="account.password_changed", target_id=str(operator.pk)).exists()
    assert client.get("/control/").status_code == 200  # this session goes on
    assert elsewhere.get("/control/").status_code == 302  # every other one has ended


def test_sign_out_clears_the_browser_is_audited_and_the_old_session_is_dead(operator: User) -> None:
    client = signed_in(operator)
    old_key = client.session.session_key
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache", "storage"'
    assert AuditEntry.objects.filter(action="account.signed_out", target_id=str(operator.pk)).exists()
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = old_key
    assert replay.get("/control/").status_code == 302


@pytest.mark.parametrize("key", [middleware.SEEN_KEY, middleware.STARTED_KEY])
def test_an_idle_or_too_old_session_is_signed_out(operator: User, key: str, settings: Any) -> None:
    client = signed_in(operator)
    assert client.get("/control/").status_code == 200
    session = client.session
    limit = settings.STREETLIGHT_IDLE_SECONDS if key == middleware.SEEN_KEY else settings.SESSION_COOKIE_AGE
    session[key] = time.time() - limit - 1
    session.save()
    assert client.get("/control/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_busy_session_stays_signed_in(operator: User) -> None:
    client = signed_in(operator)
    client.get("/control/")
    session = client.session
    session[middleware.SEEN_KEY] = time.time() - 120
    session.save()
    assert client.get("/control/").status_code == 200
    assert time.time() - client.session[middleware.SEEN_KEY] < 5  # the activity was written back


def test_an_expired_id_token_fails_the_sign_in_without_an_error(
    provider: sso.Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]

    class HourAgo:
        @staticmethod
        def time() -> float:
            return time.time() - 3600

    monkeypatch.setattr(sso, "time", HourAgo)  # the provider signs a token that ended 55 minutes ago
    client = Client()
    back = sso.sign_in_through(provider, client)
    assert back["Location"] == "/accounts/login/?sso=failed"
    assert client.get("/control/").status_code == 302


def test_an_id_token_without_expiry_is_refused(provider: sso.Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]

    class NoExpiry:
        @staticmethod
        def encode(payload: dict[str, Any], key: str, algorithm: str) -> str:
            return jwt.encode({k: v for k, v in payload.items() if k != "exp"}, key, algorithm=algorithm)

    monkeypatch.setattr(sso, "jwt", NoExpiry)
    assert sso.sign_in_through(provider, Client())["Location"] == "/accounts/login/?sso=failed"


def test_the_client_address_is_the_one_the_proxy_added(settings: Any) -> None:
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert address_of(request) == "203.0.113.9"  # the first entry came from the client and may be invented
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert address_of(RequestFactory().get("/", HTTP_X_REAL_IP="203.0.113.10")) == "203.0.113.10"


def test_log_entries_are_one_line_in_utc() -> None:
    plain = django_settings.LOGGING["formatters"]["plain"]
    assert plain["()"] == "streetlight.core.logformat.LineFormatter"
    formatter = LineFormatter(plain["format"])
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Not Found: %s", ("/x\nFAKE",), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line and "/x\\nFAKE" in line and "RuntimeError: boom" in line
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR django\.request ", line)
    assert line[:13] == time.strftime("%Y-%m-%dT%H", time.gmtime(record.created))


def test_every_refused_password_is_kept_even_after_success(operator: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": operator.username, "password": "not-the-password"})
    client.post("/accounts/login/", {"username": operator.username, "password": PASSWORD})
    assert AccessFailureLog.objects.filter(username=operator.username).count() == 1
    sign_in(client, operator)  # the failure stays on record after the person got in
    assert AccessFailureLog.objects.filter(username=operator.username).exists()


def test_refusals_are_logged_as_security_events_without_followup_tokens(
    client: Client, operator: User, report_json: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    created = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()
    token = created["followup_token"]
    caplog.set_level(logging.WARNING, logger="streetlight.security")
    outsider = member("victim-support", "operator", "outsider")
    signed_in(outsider).get("/control/reports/999999/")  # not theirs, or nowhere: a 404 for staff is logged
    client.get("/api/v1/control/reports", headers={"Authorization": "Bearer slt_made-up"})
    strict = Client(enforce_csrf_checks=True)
    strict.post(f"/f/{token}/erase/", {"confirm": "yes"})
    client.get("/no-such-page/")  # an anonymous 404 is noise, not an event
    lines = [r.getMessage() for r in caplog.records if r.name == "streetlight.security"]
    assert any("GET /control/reports/999999/: 404 for outsider" in line for line in lines), lines
    assert any("GET /api/v1/control/reports: 401 for anonymous" in line for line in lines), lines
    assert any("POST /f/…/erase/: 403 for anonymous" in line for line in lines), lines
    assert not any("no-such-page" in line or token in line for line in lines), lines


def test_answers_made_outside_django_carry_the_same_safeguards() -> None:
    from streetlight.core.body_limit import body_limit
    from streetlight.live import stream

    sent: list[dict[str, Any]] = []

    async def never(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the body limit answers first")

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": [(b"content-length", b"999999")]}
    asyncio.run(body_limit(never, max_bytes=lambda: 10)(scope, receive, send))
    refused = dict(sent[0]["headers"])
    assert sent[0]["status"] == 413 and refused[b"x-content-type-options"] == b"nosniff"
    assert b"frame-ancestors 'none'" in refused[b"content-security-policy"]
    streamed = dict(stream.HEADERS)
    assert streamed[b"x-content-type-options"] == b"nosniff" and streamed[b"cache-control"] == b"no-store"
