"""Guards for views that show or export personal data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import signin


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
