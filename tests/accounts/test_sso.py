"""Single sign-on against a small OpenID Connect provider served over real HTTP: roles come from the
provider's claim, its MFA is trusted when it says so, and otherwise our own code step follows."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client

from streetlight.accounts import oidc
from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.routing.models import Membership

pytestmark = pytest.mark.django_db

CLIENT_ID = "streetlight-portavera"
SECRET = "a-client-secret-long-enough-for-hs256-keys"


@dataclass
class Provider:
    """What the provider will assert for the next sign-in, and the codes it issued."""

    url: str = ""
    claims: dict[str, Any] = field(default_factory=dict)
    amr: list[str] = field(default_factory=lambda: ["pwd", "otp"])
    audience: str = CLIENT_ID
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)

    def authorize(self, location: str) -> str:
        """The person signs in at the provider, which sends the browser back with a code."""
        query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
        assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return f"/oidc/callback/?code={code}&state={query['state']}"


def make_handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # the token endpoint
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
            request = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if request is None or form.get("client_secret") != SECRET or challenge != request["code_challenge"]:
                self.reply(400, {"error": "invalid_grant"})
                return
            now = int(time.time())
            id_token = jwt.encode(
                {
                    "iss": provider.url,
                    "sub": provider.claims["sub"],
                    "aud": provider.audience,
                    "nonce": request["nonce"],
                    "iat": now,
                    "exp": now + 300,
                    "auth_time": now,
                    "amr": provider.amr,
                },
                SECRET,
                algorithm="HS256",
            )
            access = secrets.token_urlsafe(16)
            provider.tokens[access] = dict(provider.claims)
            self.reply(200, {"id_token": id_token, "access_token": access, "token_type": "Bearer"})

        def do_GET(self) -> None:  # the userinfo endpoint
            claims = provider.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
            self.reply(200, claims) if claims else self.reply(401, {"error": "invalid_token"})

    return Handler


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    found = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(found))
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found.url + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = found.url + "/token"
    settings.OIDC_OP_USER_ENDPOINT = found.url + "/userinfo"
    settings.STREETLIGHT_OIDC_NAME = "Portavera ID"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND]
    found.claims = {"sub": "u-1042", "email": "ana@portavera.example", "given_name": "Ana"}
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


def sign_in_through(provider: Provider, client: Client, next_url: str = "/control/") -> Any:
    start = client.get(f"/oidc/authenticate/?next={next_url}")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize?")
    return client.get(provider.authorize(start["Location"]))


def test_the_button_is_shown_only_when_a_provider_is_configured(provider: Provider, settings: Any) -> None:
    assert "Sign in with Portavera ID" in Client().get("/accounts/login/").content.decode()
    settings.OIDC_RP_CLIENT_ID = ""
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()
    assert Client().get("/oidc/authenticate/").status_code == 404


def test_roles_come_from_the_provider_and_its_mfa_is_trusted(provider: Provider) -> None:
    provider.claims["streetlight_roles"] = [
        "police:operator",
        "victim-support:analyst",
        "nowhere:operator",
        "police:god",
    ]
    client = Client()
    back = sign_in_through(provider, client)
    assert back.status_code == 302 and back["Location"] == "/control/"
    assert client.get("/control/").status_code == 200
    user = User.objects.get(email="ana@portavera.example")
    assert not user.has_usable_password() and user.first_name == "Ana"
    held = {(m.agency.code, m.role) for m in Membership.objects.filter(user=user)}
    assert held == {("police", "operator"), ("victim-support", "analyst")}

    provider.claims["streetlight_roles"] = ["police:supervisor"]  # moved on at the provider
    again = Client()
    sign_in_through(provider, again)
    assert {(m.agency.code, m.role) for m in Membership.objects.filter(user=user)} == {("police", "supervisor")}
    change = AuditEntry.objects.filter(action="account.sso_roles_changed", target_id=str(user.pk)).latest("pk")
    assert change.data["after"] == ["police:supervisor"]


def test_without_the_providers_mfa_our_own_code_step_follows(provider: Provider) -> None:
    provider.amr = ["pwd"]
    provider.claims["streetlight_roles"] = ["police:operator"]
    client = Client()
    back = sign_in_through(provider, client)
    assert back["Location"] == "/accounts/login/setup/"
    assert client.get("/control/").status_code == 302  # not signed in yet


def test_no_known_role_no_entry(provider: Provider) -> None:
    provider.claims["streetlight_roles"] = ["parks:gardener"]
    client = Client()
    back = sign_in_through(provider, client)
    assert back["Location"] == "/accounts/login/?sso=failed"
    assert "did not work" in client.get(back["Location"]).content.decode()
    assert not User.objects.filter(email="ana@portavera.example").exists()


def test_a_token_for_another_client_is_refused(provider: Provider) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]
    provider.audience = "someone-else"
    back = sign_in_through(provider, Client())
    assert back["Location"] == "/accounts/login/?sso=failed"


def test_a_replayed_callback_is_refused(provider: Provider) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]
    client = Client()
    start = client.get("/oidc/authenticate/?next=/control/")
    callback = provider.authorize(start["Location"])
    assert client.get(callback)["Location"] == "/control/"
    replay = Client()
    assert replay.get(callback)["Location"] == "/accounts/login/?sso=failed"


def test_confirming_before_contact_details_goes_back_to_the_provider(provider: Provider) -> None:
    provider.claims["streetlight_roles"] = ["police:operator"]
    client = Client()
    sign_in_through(provider, client)
    session = client.session
    session["streetlight_reauth_at"] = time.time() - 3600
    session.save()
    export = client.get("/control/export.csv")
    confirm = client.get(export["Location"])
    assert "Confirm with Portavera ID" in confirm.content.decode()
    start = client.get("/oidc/authenticate/?reauth=1&next=/control/export.csv")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
    assert client.get(provider.authorize(start["Location"]))["Location"] == "/control/export.csv"
    assert client.get("/control/export.csv").status_code == 200
    assert AuditEntry.objects.filter(action="account.reauthenticated", data__through="sso").exists()
