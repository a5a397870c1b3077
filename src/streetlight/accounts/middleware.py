"""No session without a second factor, and none that outlives its idle or absolute timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

from . import signin

STARTED_KEY = "streetlight_session_started"
SEEN_KEY = "streetlight_session_seen"
SEEN_EVERY = 60  # seconds: how often the last activity is written back


class SecondFactorMiddleware:
    """Sign out any session that is authenticated but not verified: sign-in only logs people in
    after their code, so such a session was made some other way (an old session, a forged one, a
    password-only login through another path) and must not be trusted. Runs after django-otp's
    `OTPMiddleware`, which tells whether the session's device is still valid."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not signin.is_verified(request):
            logout(request)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out a staff session idle for longer than `STREETLIGHT_IDLE_MINUTES`, or older than
    `SESSION_COOKIE_AGE` since it was first used, however busy (docs/security/identity.md). Django's
    own expiry slides whenever the session is saved, so it alone is not an absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
            if not isinstance(started, int | float) or not isinstance(seen, int | float):
                session[STARTED_KEY] = session[SEEN_KEY] = now
            elif now - started > settings.SESSION_COOKIE_AGE or now - seen > settings.STREETLIGHT_IDLE_SECONDS:
                logout(request)
            elif now - seen > SEEN_EVERY:
                session[SEEN_KEY] = now
        return self.get_response(request)


def session_keep_alive(session: SessionBase, *, now: float | None = None) -> bool:
    """For the live stream, which never passes through the middleware: False once the session is
    gone (signed out, flushed) or past its absolute limit, so the stream ends with it; otherwise an
    open live queue counts as activity — a wall screen in the control room stays signed in while it
    is connected, and only that long."""
    now = time.time() if now is None else now
    if SESSION_KEY not in session:
        return False
    started = session.get(STARTED_KEY)
    if isinstance(started, int | float) and now - started > settings.SESSION_COOKIE_AGE:
        return False
    session[SEEN_KEY] = now
    session.save()
    return True
