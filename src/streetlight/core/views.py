"""Error pages and health: plain sentences, never a stack trace."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .problems import problem


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/")) or "json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, status: int, title: str) -> HttpResponse:
    if _wants_json(request):
        return problem(status=status, title=title)
    return render(request, "core/error.html", {"status": status, "title": title}, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong on our side. Please try again in a moment."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You may not open this page. If you sent a form, reload the page and try again."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, _("Your form expired. Reload the page and send it again: what you typed is kept."))


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin site's sign-in form would skip the second factor, so staff sign in through ours. A
    person already signed in is sent here only when the admin refused them (not staff): say so with
    a 403, rather than bounce them between the two sign-ins for ever."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{settings.LOGIN_URL}?{query}" if query else settings.LOGIN_URL)


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process runs and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
