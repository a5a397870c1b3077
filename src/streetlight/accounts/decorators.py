"""Guards for staff views: a role check answering a 403 page, and re-authentication before views that
show or export personal data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from . import signin
from .models import User

View = Callable[..., HttpResponse]


def staff_allowed(allowed: Callable[[User | AnonymousUser], bool], *, forbidden: str) -> Callable[[View], View]:
    """Signed in (the second factor is the middleware's business) and `allowed(user)`; anyone else
    signed in gets the `forbidden` template with a 403, someone signed out goes to the sign-in."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                return render(request, forbidden, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def recent_authentication_required(
    view: Callable[..., HttpResponse] | None = None, *, return_to: Callable[..., str] | None = None
) -> Any:
    """Ask for password and code again unless the person gave them in the last few minutes.

    A GET comes back to itself afterwards; a POST cannot be replayed, so it comes back to
    `return_to(request, **kwargs)` (e.g. the report's page) where the person repeats the action."""

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if signin.reauthentication_is_recent(request):
                return func(request, *args, **kwargs)
            if request.method == "GET":
                back = request.get_full_path()
            else:
                back = return_to(request, *args, **kwargs) if return_to else "/control/"
            return redirect(reverse("accounts:confirm") + "?" + urlencode({"next": back}))

        return wrapper

    return decorate(view) if view is not None else decorate


def staff_user(request: HttpRequest) -> User:
    """The signed-in member behind a request that a staff guard has already let through."""
    assert isinstance(request.user, User)
    return request.user
