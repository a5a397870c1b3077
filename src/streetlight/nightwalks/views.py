"""Resident pages (what a safety walk is, the audit form, joining a walk, thanks, the public night
safety map) and the organisers' screens. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.accounts.decorators import staff_allowed, staff_user
from streetlight.accounts.models import User
from streetlight.core.ratelimit import submission_limited
from streetlight.reports.geo import area_index

from . import nightmap, selectors, services
from .drafts import WalkClosed, WalkInvalid, WalkNotFound
from .forms import AuditForm, JoinForm, WalkForm, apply_errors, audit_draft, point_formset, with_one_more_point
from .models import SafetyWalk
from .parameters import PARAMETERS

LAST_AUDIT = "nightwalks_last_audit"
NEW_CODES = "nightwalks_new_codes"
View = Callable[..., HttpResponse]


def _rate_limited(request: HttpRequest, group: str = "submit") -> HttpResponse | None:
    if (wait := submission_limited(request, group=group)) is None:
        return None
    response = render(request, "reports/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _map_context() -> dict[str, Any]:
    index = area_index()
    return {"areas_geojson": index.to_geojson() if index else {"type": "FeatureCollection", "features": []}}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "nightwalks/home.html", {"join_form": JoinForm(), "parameters": PARAMETERS})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm((request.POST if request.method == "POST" else None), initial={"code": request.GET.get("code", "")})
    if request.method == "POST":
        if limited := _rate_limited(request, group="safety-walk-join"):
            return limited
        if form.is_valid():
            try:
                selectors.walk_by_code(code=form.cleaned_data["code"])
            except WalkNotFound:
                form.add_error("code", _("We don't know this code. Check it with your walk's organiser."))
            except WalkClosed:
                form.add_error("code", _("This walk is closed: it takes no more audits."))
            else:
                return redirect("nightwalks:walk_audit", code=selectors.normalise_code(form.cleaned_data["code"]))
    status = 400 if form.errors else 200
    return render(request, "nightwalks/join.html", {"form": form}, status=status)


def _audit_page(request: HttpRequest, walk: SafetyWalk | None) -> HttpResponse:
    form = AuditForm(
        (request.POST if request.method == "POST" else None), initial={"idempotency_key": uuid.uuid4().hex}
    )
    points = point_formset(
        (request.POST if request.method == "POST" else None), (request.FILES if request.method == "POST" else None)
    )
    status = 200
    if request.method == "POST" and "add_point" in request.POST:
        points = with_one_more_point(points)
        form = AuditForm(request.POST)
        form.is_valid()
    elif request.method == "POST":
        if limited := _rate_limited(request):
            return limited
        if all([form.is_valid(), points.is_valid()]):  # both checked: every error shown at once
            draft, order = audit_draft(form, points, language=(get_language() or "en")[:2])
            try:
                audit = services.audit_submit(draft=draft, walk=walk)
            except WalkInvalid as exc:
                apply_errors(exc.errors, form, points, order)
                status = 410 if "walk" in exc.errors else 400
            else:
                request.session[LAST_AUDIT] = audit.pk
                return redirect("nightwalks:thanks")
        status = max(status, 400)
    context = {
        "form": form,
        "points": points,
        "walk": walk,
        "max_photos": int(settings.STREETLIGHT["MAX_PHOTOS"]),
        **_map_context(),
    }
    response = render(request, "nightwalks/audit_form.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def audit_new(request: HttpRequest) -> HttpResponse:
    return _audit_page(request, None)


@require_http_methods(["GET", "POST"])
def walk_audit(request: HttpRequest, code: str) -> HttpResponse:
    try:
        walk = selectors.walk_by_code(code=code)
    except WalkNotFound:
        return render(request, "nightwalks/walk_unknown.html", status=404)
    except WalkClosed:
        return render(request, "nightwalks/walk_closed.html", status=410)
    return _audit_page(request, walk)


def thanks(request: HttpRequest) -> HttpResponse:
    audit = selectors.audit_get(audit_id=int(request.session.get(LAST_AUDIT) or 0))
    if audit is None:
        return redirect("nightwalks:home")
    return render(request, "nightwalks/thanks.html", {"audit": audit, "points": audit.points.count()})


def _period(request: HttpRequest) -> str | None:
    period = request.GET.get("period", "night")
    return period if period in nightmap.PERIODS else None


def night_map(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    if period is None:
        error = {"error": _("Choose night or day."), "period": "night", "rows": [], "parameters": PARAMETERS}
        return render(request, "nightwalks/map.html", error, status=400)
    context: dict[str, Any] = {
        "period": period,
        "rows": nightmap.night_safety_cells(period=period),
        "min_audits": nightmap.min_audits(),
        "parameters": PARAMETERS,
        **_map_context(),
    }
    return render(request, "nightwalks/map.html", context)


def night_map_geojson(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    if period is None:
        return JsonResponse({"errors": {"period": _("Choose night or day.")}}, status=400)
    return JsonResponse(nightmap.night_safety_geojson(period=period), content_type="application/geo+json")


# Organisers


def _may_organise(user: User | AnonymousUser) -> bool:
    return selectors.may_organise(user=user)


def organisers_only(view: View) -> View:
    """Signed in (with the second factor, checked by the middleware) and organiser of some agency."""

    @staff_allowed(_may_organise, forbidden="nightwalks/forbidden.html")
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except WalkNotFound:
            return render(request, "nightwalks/walk_unknown.html", status=404)

    return wrapped


@organisers_only
@require_http_methods(["GET", "POST"])
def organise(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = WalkForm(
        (request.POST if request.method == "POST" else None),
        agencies=selectors.organiser_agency_choices(user=user),
        areas=selectors.area_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.walk_create(organiser=user, draft=form.to_draft())
        except WalkInvalid as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            request.session[NEW_CODES] = {**request.session.get(NEW_CODES, {}), str(created.walk.pk): created.code}
            return redirect("nightwalks:walk_summary", walk_id=created.walk.pk)
    walks = selectors.walk_list_for(user=user)
    status = 400 if form.errors else 200
    return render(request, "nightwalks/organise.html", {"form": form, "walks": walks}, status=status)


@organisers_only
def walk_summary(request: HttpRequest, walk_id: int) -> HttpResponse:
    summary = selectors.walk_summary(walk=selectors.walk_get_for(user=staff_user(request), walk_id=walk_id))
    code = request.session.get(NEW_CODES, {}).get(str(walk_id))
    join_url = request.build_absolute_uri(f"/safety-walks/w/{code}/") if code else None
    context = {"s": summary, "walk": summary.walk, "code": code, "join_url": join_url, "parameters": PARAMETERS}
    response = render(request, "nightwalks/summary.html", context)
    response["Cache-Control"] = "no-store"
    return response


@organisers_only
@require_POST
def walk_close(request: HttpRequest, walk_id: int) -> HttpResponse:
    walk = selectors.walk_get_for(user=staff_user(request), walk_id=walk_id)
    services.walk_close(organiser=staff_user(request), walk=walk)
    return redirect("nightwalks:walk_summary", walk_id=walk.pk)


@organisers_only
@require_POST
def walk_new_code(request: HttpRequest, walk_id: int) -> HttpResponse:
    walk = selectors.walk_get_for(user=staff_user(request), walk_id=walk_id)
    try:
        code = services.walk_new_code(organiser=staff_user(request), walk=walk)
    except WalkClosed:
        return render(request, "nightwalks/walk_closed.html", status=409)
    request.session[NEW_CODES] = {**request.session.get(NEW_CODES, {}), str(walk.pk): code}
    return redirect("nightwalks:walk_summary", walk_id=walk.pk)


@organisers_only
def walk_photo(request: HttpRequest, walk_id: int, photo_id: int) -> HttpResponse:
    photo = selectors.photo_get_for(user=staff_user(request), walk_id=walk_id, photo_id=photo_id)
    with photo.image.open("rb") as fh:  # re-encoded photos are small (PHOTO_MAX_SIDE): read whole
        response = HttpResponse(fh.read(), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
