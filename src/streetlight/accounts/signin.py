"""Staff sign-in in two steps — password, then a one-time code — and re-authentication.

The password step never signs anyone in: it only remembers, for a few minutes, who passed it. Django's
`login()` runs after the second factor, so every `request.user.is_authenticated` in the platform means
"password and code". A session that is signed in without a verified device (a forged or pre-upgrade
session) is signed out by `SecondFactorMiddleware`.
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from streetlight.audit import services as audit

from .models import User

PENDING_KEY = "streetlight_pending_signin"
REAUTH_KEY = "streetlight_reauth_at"
SSO_MFA_KEY = "streetlight_sso_mfa"
PENDING_SECONDS = 300
BACKUP_CODES = 10
AUTHENTICATOR = "authenticator"


@dataclass(frozen=True)
class Pending:
    """Someone who passed the password step and owes a code."""

    user: User
    backend: str
    next_url: str


def pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """Remember who passed the password step. A new session key stops session fixation here, before
    anything is granted."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
        "next": next_url,
    }


def pending_get(request: HttpRequest) -> Pending | None:
    """The pending sign-in if it is fresh and its account still active, else None (and forgotten)."""
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict) or time.time() - float(state.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(state.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return Pending(user=user, backend=str(state["backend"]), next_url=str(state.get("next") or ""))


def needs_enrolment(user: User) -> bool:
    return not user_has_device(user, confirmed=True)


def _finish(request: HttpRequest, pending: Pending, device: TOTPDevice | StaticDevice, method: str) -> None:
    request.session.pop(PENDING_KEY, None)
    auth.login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    request.session[REAUTH_KEY] = time.time()
    audit.record(actor=pending.user, action="account.signed_in", target=pending.user, data={"second_factor": method})


@transaction.atomic
def code_verify(request: HttpRequest, pending: Pending, token: str) -> bool:
    """Accept a code from the authenticator or one unused backup code. django-otp slows down
    repeated wrong codes per device, so a code cannot be guessed by trying them all."""
    device = match_token(pending.user, token.replace(" ", "").strip())
    if device is None:
        audit.record(actor=pending.user, action="account.code_refused", target=pending.user)
        return False
    _finish(request, pending, device, "backup code" if isinstance(device, StaticDevice) else "authenticator")
    return True


def enrolment_device(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per account, kept until confirmed so a
    reload does not change the secret the person is typing in."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for authenticator apps without a camera."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def enrolment_confirm(request: HttpRequest, pending: Pending, token: str) -> list[str] | None:
    """The first code proves the authenticator works; then the account gets its backup codes and is
    signed in. Returns the backup codes (shown once) or None if the code was wrong."""
    device = enrolment_device(pending.user)
    if not device.verify_token(token.replace(" ", "").strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=pending.user).exclude(pk=device.pk).delete()
    codes = backup_codes_create(user=pending.user, actor=pending.user)
    audit.record(actor=pending.user, action="account.authenticator_enrolled", target=pending.user)
    _finish(request, pending, device, "authenticator")
    return codes


@transaction.atomic
def backup_codes_create(*, user: User, actor: User) -> list[str]:
    """New single-use backup codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit.record(actor=actor, action="account.backup_codes_created", target=user)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """An administrator's answer to a lost phone: the person sets up a new authenticator at their
    next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="account.second_factor_reset", target=user)


def session_is_verified(session: SessionBase, user: object) -> bool:
    """The one rule, for pages and for the live stream alike: the session names a confirmed device of
    this very user, or the identity provider vouched for its own second factor."""
    if session.get(SSO_MFA_KEY) is True:
        return True
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not isinstance(persistent_id, str) or not isinstance(user, User):
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


def is_verified(request: HttpRequest) -> bool:
    return session_is_verified(request.session, request.user)


def reauthentication_age(request: HttpRequest) -> float:
    at = request.session.get(REAUTH_KEY)
    return time.time() - float(at) if isinstance(at, int | float) else float("inf")


def reauthentication_is_recent(request: HttpRequest) -> bool:
    return reauthentication_age(request) <= settings.STREETLIGHT_REAUTH_SECONDS


@transaction.atomic
def reauthenticate(request: HttpRequest, *, password: str, token: str) -> bool:
    """Password and code again before a sensitive read or export: an unlocked, walked-away laptop
    must not be enough to read a victim's phone number."""
    user = request.user
    assert isinstance(user, User)
    ok = user.check_password(password) and match_token(user, token.replace(" ", "").strip()) is not None
    audit.record(
        actor=user, action="account.reauthenticated" if ok else "account.reauthentication_refused", target=user
    )
    if ok:
        request.session[REAUTH_KEY] = time.time()
    return ok
