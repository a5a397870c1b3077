"""Single sign-on through the city's identity provider (OpenID Connect, mozilla-django-oidc).

The provider is the source of truth for who works where: each sign-in replaces the person's
memberships with the agency-and-role pairs in a claim (default `streetlight_roles`, values such as
`police:operator`). Someone with no valid pair is refused. If the provider says it checked a second
factor (the `amr` claim, RFC 8176) and the city trusts that, the session counts as verified;
otherwise the person goes on to Streetlight's own code step, exactly as after a password.

Everything is off until `OIDC_RP_CLIENT_ID` is set; the screens answer 404 meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

import jwt
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from streetlight.audit import services as audit
from streetlight.routing.enums import Role
from streetlight.routing.models import Agency, Membership

from . import signin
from .models import User

logger = logging.getLogger(__name__)

BACKEND = "streetlight.accounts.oidc.ProviderBackend"
# RFC 8176 methods that are a second factor or stronger than a password alone.
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "vbm"})
AMR_KEY = "streetlight_oidc_amr"
AUTH_TIME_KEY = "streetlight_oidc_auth_time"
REAUTH_FLAG = "streetlight_oidc_reauth"
REAUTH_MAX_AGE = 300


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def provider_name() -> str:
    return str(getattr(settings, "STREETLIGHT_OIDC_NAME", "") or "the city's sign-in")


def roles_from_claims(claims: dict[str, Any]) -> set[tuple[str, str]]:
    """The valid (agency code, role) pairs the provider grants; unknown agencies or roles are
    dropped, not guessed."""
    raw = claims.get(settings.STREETLIGHT_OIDC_ROLES_CLAIM) or []
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    pairs = {tuple(str(v).split(":", 1)) for v in values if isinstance(v, str) and v.count(":") == 1}
    known = set(Agency.objects.filter(code__in={a for a, _ in pairs}).values_list("code", flat=True))
    return {(a, r) for a, r in pairs if a in known and r in Role.values}


def username_for(claims: dict[str, Any]) -> str:
    """Stable and unique per provider subject, whatever characters the provider uses."""
    return "sso-" + hashlib.sha256(str(claims["sub"]).encode()).hexdigest()[:32]


class ProviderBackend(OIDCAuthenticationBackend):
    """Accounts are matched by the provider's subject, never by e-mail (an address can be reused)."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:  # mozilla-django-oidc leaves this check to us
            raise SuspiciousOperation("the ID token was issued to another client")
        amr = payload.get("amr") or []
        self.request.session[AMR_KEY] = [str(m) for m in amr] if isinstance(amr, list) else []
        self.request.session[AUTH_TIME_KEY] = payload.get("auth_time")
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The library checks the signature, the algorithm and the nonce, and PyJWT the expiry and
        "not before" when present. An expired or otherwise invalid token, or one without an expiry,
        is refused like a forged one (sign-in failed), never with a server error."""
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"the ID token is not valid: {exc}") from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int | float):
            raise SuspiciousOperation("the ID token has no expiry")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("sub"):
            return False
        if not roles_from_claims(claims):
            logger.warning(
                "single sign-on refused: no known agency and role in %s", settings.STREETLIGHT_OIDC_ROLES_CLAIM
            )
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(username=username_for(claims))

    def create_user(self, claims: dict[str, Any]) -> User:
        user = User(username=username_for(claims))
        user.set_unusable_password()
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.email = str(claims.get("email") or "")[:254]
        user.first_name = str(claims.get("given_name") or claims.get("name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
        user.save()
        granted = roles_from_claims(claims)
        held = {(m.agency.code, m.role) for m in Membership.objects.filter(user=user).select_related("agency")}
        if granted != held:
            Membership.objects.filter(user=user).delete()
            agencies = {a.code: a for a in Agency.objects.filter(code__in={a for a, _ in granted})}
            Membership.objects.bulk_create(Membership(user=user, agency=agencies[a], role=r) for a, r in granted)
            audit.record(
                actor=None,
                actor_label="identity provider",
                action="account.sso_roles_changed",
                target=user,
                data={"before": sorted(":".join(p) for p in held), "after": sorted(":".join(p) for p in granted)},
            )
        return user


class ProviderRedirect(OIDCAuthenticationRequestView):
    """To the provider; `?reauth=1` asks it to check the person again, now (prompt=login)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not enabled():
            raise Http404
        super().__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        request.session[REAUTH_FLAG] = request.GET.get("reauth") == "1" and request.user.is_authenticated
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        if request.session.get(REAUTH_FLAG):
            return {"prompt": "login", "max_age": "0"}
        return {}


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: sign in (its MFA trusted), or go on to our own code step, or count
    as a fresh confirmation before personal data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not enabled():
            raise Http404
        super().__init__(*args, **kwargs)

    @property
    def failure_url(self) -> str:
        return f"{settings.LOGIN_URL}?sso=failed"

    def login_success(self) -> HttpResponse:
        request, user = self.request, self.user
        assert isinstance(user, User)
        next_url = str(self.success_url)
        amr = set(request.session.pop(AMR_KEY, []))
        auth_time = request.session.pop(AUTH_TIME_KEY, None)
        if request.session.pop(REAUTH_FLAG, False):
            fresh = isinstance(auth_time, int | float) and time.time() - auth_time <= REAUTH_MAX_AGE
            if request.user == user and fresh:
                request.session[signin.REAUTH_KEY] = time.time()
                audit.record(actor=user, action="account.reauthenticated", target=user, data={"through": "sso"})
                return HttpResponseRedirect(next_url)
            audit.record(actor=user, action="account.reauthentication_refused", target=user, data={"through": "sso"})
            return redirect(settings.LOGIN_REDIRECT_URL)
        if settings.STREETLIGHT_OIDC_TRUST_MFA and amr & MFA_METHODS:
            auth.login(request, user, backend=BACKEND)
            request.session[signin.SSO_MFA_KEY] = True
            request.session[signin.REAUTH_KEY] = time.time()
            audit.record(actor=user, action="account.signed_in", target=user, data={"second_factor": "sso"})
            return HttpResponseRedirect(next_url)
        user.backend = BACKEND
        signin.pending_start(request, user=user, next_url=next_url)
        return redirect("accounts:setup" if signin.needs_enrolment(user) else "accounts:code")

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation:
            logger.warning("single sign-on callback with an unknown state")
            return self.login_failure()
