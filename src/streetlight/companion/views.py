"""Walk me home pages: start, the resident's page (positions, check-in, extend, alert) and the
contacts' page. Thin: parse, call one service or selector, render.

Both links carry a secret token in the path, so every token page is sent with no-store, noindex
and a Referrer-Policy that only lets our origin out."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from streetlight.core.problems import field_errors, problem
from streetlight.core.ratelimit import submission_limited

from . import conf, selectors, services
from .errors import MailUnavailable, WalkFinished, WalkInvalid, WalkNotFound
from .forms import StartForm
from .models import AlertReason, Walk

TokenView = Callable[[HttpRequest, Walk], HttpResponse]


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _gone(request: HttpRequest, walk: Walk, *, watcher: bool, status: int = 410) -> HttpResponse:
    context = {"walk": walk, "watcher": watcher, "grace": conf.number("POSITION_GRACE_MINUTES")}
    return _private(render(request, "companion/finished.html", context, status=status))


def _wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or "json" in request.headers.get("Accept", "")


def resident_view(view: TokenView) -> Callable[..., HttpResponse]:
    """Find the walk by the resident's token: unknown → 404, ended → 410 Gone, in JSON or HTML."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            walk = selectors.walk_get_for_resident(token=token)
            if walk.finished or walk.purged_at is not None:
                raise WalkFinished(walk)
            return _private(view(request, walk))
        except WalkNotFound:
            if _wants_json(request):
                return problem(status=404, title=_("We don't know this walk link."))
            return _private(render(request, "companion/unknown.html", status=404))
        except WalkFinished as exc:
            if _wants_json(request):
                return problem(status=410, title=_("This walk has ended."), walk_status=exc.walk.status)
            return _gone(request, exc.walk, watcher=False)

    return wrapper


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(
        (request.POST if request.method == "POST" else None),
        initial={"language": (get_language() or "en")[:2], "arrival_minutes": 20},
    )
    status = 200
    if request.method == "POST":
        if (wait := submission_limited(request, group="walk")) is not None:
            response = render(request, "companion/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                started = services.walk_start(draft=form.to_draft())
            except WalkInvalid as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except MailUnavailable:
                form.add_error(None, _("We cannot send e-mails right now, so no walk was started. Try again soon."))
                status = 503
            else:
                return redirect("companion:walk", token=started.resident_token)
        status = status if status != 200 else 400
    return render(
        request, "companion/start.html", {"form": form, "max_contacts": conf.number("MAX_CONTACTS")}, status=status
    )


def privacy(request: HttpRequest) -> HttpResponse:
    names = ("GRACE_MINUTES", "POSITION_GRACE_MINUTES", "ALERT_KEEP_HOURS", "MAX_HOURS", "STUB_DAYS")
    return render(request, "companion/privacy.html", {n.lower(): conf.number(n) for n in names})


def _walk_context(request: HttpRequest, walk: Walk, **extra: Any) -> dict[str, Any]:
    return {
        "walk": walk,
        "last": selectors.walk_last_position(walk=walk),
        "contacts": selectors.walk_contact_count(walk=walk),
        "extend_minutes": conf.number("EXTEND_MINUTES"),
        "notice": request.GET.get("done", ""),
        **extra,
    }


@require_GET
@resident_view
def walk_page(request: HttpRequest, walk: Walk) -> HttpResponse:
    return render(request, "companion/walk.html", _walk_context(request, walk))


@require_POST
@resident_view
def position(request: HttpRequest, walk: Walk) -> HttpResponse:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return problem(
            status=400, title=_("The position is not valid JSON."), errors=field_errors({"body": _("Send JSON.")})
        )
    try:
        services.walk_position_add(walk=walk, fix=services.fix_check(data))
    except WalkInvalid as exc:
        return problem(status=422, title=_("Some values are not valid."), errors=field_errors(exc.errors))
    return JsonResponse(selectors.walk_state(walk=selectors.walk_get_for_resident_pk(pk=walk.pk)), status=201)


@require_POST
@resident_view
def extend(request: HttpRequest, walk: Walk) -> HttpResponse:
    try:
        services.walk_extend(walk=walk)
    except WalkInvalid as exc:
        return render(
            request, "companion/walk.html", _walk_context(request, walk, error=exc.errors["extend"]), status=409
        )
    return redirect(request.path.rsplit("/", 1)[0] + "/?done=extended")


def _finish(arrived: bool) -> TokenView:
    def view(request: HttpRequest, walk: Walk) -> HttpResponse:
        walk = services.walk_finish(walk=walk, arrived=arrived)
        return _gone(request, walk, watcher=False, status=200)

    return view


arrived = require_POST(resident_view(_finish(arrived=True)))
end = require_POST(resident_view(_finish(arrived=False)))


@require_http_methods(["GET", "POST"])
@resident_view
def alert(request: HttpRequest, walk: Walk) -> HttpResponse:
    """The alert button. Without the confirmation field (no JavaScript, or a stray tap) it asks first."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        outcome = services.walk_alert(walk_id=walk.pk, reason=AlertReason.BUTTON)
        if outcome.failed:
            context = _walk_context(request, selectors.walk_get_for_resident_pk(pk=walk.pk), failed=outcome.failed)
            return render(request, "companion/walk.html", context)
        return redirect(request.path.rsplit("/", 1)[0] + "/?done=alerted")
    return render(request, "companion/alert_confirm.html", {"walk": walk})


def _watch(request: HttpRequest, token: str, as_json: bool) -> HttpResponse:
    try:
        walk = selectors.walk_get_for_watcher(token=token)
    except WalkNotFound:
        if as_json:
            return _private(problem(status=404, title=_("We don't know this walk link.")))
        return _private(render(request, "companion/unknown.html", {"watcher": True}, status=404))
    state = selectors.walk_state(walk=walk)
    if walk.finished or walk.purged_at is not None:
        if as_json:
            return _private(problem(status=410, title=_("This walk has ended."), walk_status=walk.status))
        return _gone(request, walk, watcher=True)
    if as_json:
        return _private(JsonResponse(state))
    context = {"walk": walk, "state": state, "last": selectors.walk_last_position(walk=walk)}
    return _private(render(request, "companion/watch.html", context))


@require_GET
def watch(request: HttpRequest, token: str) -> HttpResponse:
    return _watch(request, token, as_json=False)


@require_GET
def watch_state(request: HttpRequest, token: str) -> HttpResponse:
    return _watch(request, token, as_json=True)
