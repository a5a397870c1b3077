"""No session without a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from . import signin


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
