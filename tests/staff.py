"""Staff accounts for tests: a member of an agency with a role, and a client signed in as them —
with a verified second factor, as the sign-in screens leave a session."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from streetlight.accounts.models import User
from streetlight.accounts.signin import REAUTH_KEY
from streetlight.routing.models import Agency, Membership

PASSWORD = "a-long-test-password"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def member(code: str, role: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or f"{code}-{role}", password=PASSWORD)
    Membership.objects.create(user=user, agency=Agency.objects.get(code=code), role=role)
    return user


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client: Client, user: User, *, recently_confirmed: bool = True) -> Client:
    """What password + code leave in the session; `recently_confirmed=False` as if the sign-in was
    long enough ago that sensitive reads ask again."""
    client.force_login(user, backend=MODEL_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    if recently_confirmed:
        session[REAUTH_KEY] = time.time()
    session.save()
    return client


def signed_in(user: User, *, recently_confirmed: bool = True) -> Client:
    return sign_in(Client(), user, recently_confirmed=recently_confirmed)
