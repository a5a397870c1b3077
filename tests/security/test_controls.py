"""Controls Streetlight already had, checked where docs/security/asvs.md cites them and no other
test did: session keys, one-time codes, password handling, CSRF, browser headers, error pages,
request framing, ID-token signatures."""

from __future__ import annotations

import json
import logging
import re
import socket
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from streetlight.accounts.models import User
from tests.accounts import test_sso as sso
from tests.servers import asgi_server
from tests.staff import PASSWORD, authenticator, member, signed_in

pytestmark = pytest.mark.django_db


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture
def operator() -> User:
    return member("police", "operator", "officer-ana")


def test_the_session_key_changes_at_each_sign_in_step(operator: User) -> None:
    device = authenticator(operator)
    client = Client()
    before = client.session.session_key
    client.post("/accounts/login/", {"username": operator.username, "password": PASSWORD})
    after_password = client.session.session_key
    client.post("/accounts/login/code/", {"code": code_now(device)})
    signed = client.session.session_key
    assert len({before, after_password, signed}) == 3
    assert signed is not None and len(signed) == 32  # Django's CSPRNG key: 32 of [a-z0-9], ~165 bits


def test_an_authenticator_code_works_once(operator: User) -> None:
    device = authenticator(operator)
    assert device.step == 30 and device.digits == 6
    code = code_now(device)
    client = Client()
    client.post("/accounts/login/", {"username": operator.username, "password": PASSWORD})
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    again = client.post("/accounts/confirm/", {"password": PASSWORD, "code": code, "next": "/control/"})
    assert again.status_code == 400  # the same code, seconds later, is refused


def test_passwords_are_masked_pasteable_long_and_taken_exactly(operator: User) -> None:
    html = Client().get("/accounts/login/").content.decode()
    assert 'type="password"' in html and "onpaste" not in html and 'autocomplete="off"' not in html
    long = "ünïcode and spaces " * 5  # 95 characters
    operator.set_password(long)
    operator.save()
    authenticator(operator)
    ok = Client().post("/accounts/login/", {"username": operator.username, "password": long})
    assert ok.status_code == 302
    for altered in (long.strip(), long[:64], long.upper()):
        refused = Client().post("/accounts/login/", {"username": operator.username, "password": altered})
        assert refused.status_code == 400


def test_a_deactivated_account_loses_its_open_sessions(operator: User) -> None:
    client = signed_in(operator)
    assert client.get("/control/").status_code == 200
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert client.get("/control/").status_code == 302


def test_state_changing_requests_need_the_csrf_token(operator: User) -> None:
    client = signed_in(operator)
    client.handler.enforce_csrf_checks = True
    assert client.post("/control/reports/1/note/", {"body": "x"}).status_code == 403
    put = client.put(
        "/api/v1/control/reports/1/assignment",
        data=json.dumps({"agency": "police", "status": "accepted", "version": 1}),
        content_type="application/json",
    )
    assert put.status_code == 403


def test_no_cross_origin_access_is_granted(client: Client, operator: User) -> None:
    foreign = {"HTTP_ORIGIN": "https://evil.example"}
    for response in (
        client.get("/api/v1/categories", **foreign),
        client.options("/api/v1/reports", **foreign),
        signed_in(operator).get("/api/v1/control/reports", **foreign),
    ):
        assert not any(name.lower().startswith("access-control-") for name in response.headers)


@pytest.mark.parametrize("path", ["/", "/api/v1/categories", "/open311/v2/services.json", "/no-such-page/"])
def test_every_response_carries_the_browser_safeguards(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/.git/config", "/.git/", "/static/", "/media/", "/var/secret_key"])
def test_no_source_metadata_secrets_or_directory_listing_is_served(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_unexpected_error_gets_a_generic_answer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("streetlight.reports.selectors.category_tree", broken)
    monkeypatch.setattr("streetlight.reports.selectors.category_list", broken)
    client = Client(raise_request_exception=False)
    caplog.set_level(logging.ERROR, logger="django.request")
    for path in ("/report/", "/api/v1/categories"):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 500 and "Something went wrong" in body
        assert "SELECT" not in body and "Traceback" not in body and "RuntimeError" not in body
    logged = [r.getMessage() for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert logged == ["Internal Server Error: /report/", "Internal Server Error: /api/v1/categories"]


def test_fields_outside_the_schema_are_refused(client: Client, report_json: dict[str, Any]) -> None:
    for extra in ({"status": "closed"}, {"reference": "SL-AAAAAAAA"}, {"followup_token": "mine"}):
        response = client.post(
            "/api/v1/reports", data=json.dumps({**report_json, **extra}), content_type="application/json"
        )
        assert response.status_code == 422, extra


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
        b"Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello12",
        b"Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    ],
)
def test_ambiguous_request_framing_is_refused_by_the_server(framing: bytes) -> None:
    from streetlight.asgi import application

    with asgi_server(application) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as conn:
            conn.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing)
            assert conn.recv(64).startswith(b"HTTP/1.1 400 ")


def test_a_forged_or_unsigned_id_token_is_refused(provider: sso.Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]

    class Forger:
        algorithm = "HS256"
        key: str | None = "not-the-client-secret-but-long-enough-for-hs256"

        @classmethod
        def encode(cls, payload: dict[str, Any], key: str, algorithm: str) -> str:
            return jwt.encode(payload, cls.key, algorithm=cls.algorithm)

    monkeypatch.setattr(sso, "jwt", Forger)
    assert sso.sign_in_through(provider, Client())["Location"] == "/accounts/login/?sso=failed"
    Forger.algorithm, Forger.key = "none", None
    assert sso.sign_in_through(provider, Client())["Location"] == "/accounts/login/?sso=failed"
    assert not User.objects.filter(email=provider.claims["email"]).exists()


def test_a_reporters_words_are_escaped_wherever_staff_read_them(client: Client, report_json: dict[str, Any]) -> None:
    from streetlight.reports.models import Report
    from streetlight.routing.services import report_route

    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'</textarea>"
    body = {**report_json, "description": "Stolen bike " + attack}
    created = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()
    report = Report.objects.select_related("category__parent", "area").get(reference=created["reference"])
    report_route(report=report)
    officer = signed_in(member("police", "operator"))
    for path in (f"/control/reports/{report.pk}/", f"/control/?q={report.reference}", f"/control/rows/{report.pk}/"):
        html = officer.get(path).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert(1)" in officer.get(f"/control/reports/{report.pk}/").content.decode()


def test_no_code_is_ever_built_from_strings() -> None:
    root = Path(__file__).resolve().parents[2] / "src" / "streetlight"
    forbidden = re.compile(
        r"\beval\(|\bexec\(|new Function\(|setTimeout\(\s*[\"']|\bTemplate\(|from_string\("
        r"|\bimport pickle|pickle\.loads?\(|allow_pickle=True|yaml\.load\(|marshal\.loads?\("
    )
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for path in [*root.rglob("*.py"), *(p for p in root.rglob("*.js") if "vendor" not in p.parts)]
        for match in forbidden.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_common_passwords_are_refused() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for common in ("qwerty123456", "1q2w3e4r5t6y", "123456654321"):
        with pytest.raises(ValidationError) as refused:
            validate_password(common)
        assert "password_too_common" in [e.code for e in refused.value.error_list]


def test_the_providers_tokens_stay_on_the_server(provider: sso.Provider) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]
    client = Client()
    assert sso.sign_in_through(provider, client)["Location"] == "/control/"
    assert not any(key.startswith("oidc_") and "token" in key for key, _value in client.session.items())
    assert set(client.cookies) <= {"sessionid", "csrftoken"}


def test_an_id_token_for_another_sign_in_attempt_is_refused(
    provider: sso.Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]

    class OtherNonce:
        @staticmethod
        def encode(payload: dict[str, Any], key: str, algorithm: str) -> str:
            return jwt.encode({**payload, "nonce": "from-another-attempt"}, key, algorithm=algorithm)

    monkeypatch.setattr(sso, "jwt", OtherNonce)
    assert sso.sign_in_through(provider, Client())["Location"] == "/accounts/login/?sso=failed"


def test_numbers_out_of_any_range_are_refused_not_overflowed(client: Client, report_json: dict[str, Any]) -> None:
    from streetlight.reports.models import Report
    from streetlight.routing.services import report_route

    created = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()
    report = Report.objects.get(reference=created["reference"])
    report_route(report=report)
    officer = signed_in(member("police", "operator"))
    officer.raise_request_exception = False
    huge = 10**30
    for version in (huge, 2**63, -1):
        put = officer.put(
            f"/api/v1/control/reports/{report.pk}/assignment",
            data=json.dumps({"agency": "police", "status": "accepted", "version": version}),
            content_type="application/json",
        )
        assert put.status_code in (409, 422), version
    assert officer.get(f"/api/v1/control/reports/{huge}").status_code == 404
    assert officer.get(f"/control/reports/{huge}/").status_code == 404
    form = {"agency": "1", "version": str(huge), "status": "accepted"}
    assert officer.post(f"/control/reports/{report.pk}/assignment/", form).status_code == 409
    far = {**report_json, "location": {**report_json["location"], "precision_m": huge}}
    assert client.post("/api/v1/reports", data=json.dumps(far), content_type="application/json").status_code == 422
