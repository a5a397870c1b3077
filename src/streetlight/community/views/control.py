"""Coordinator screens: businesses, warnings to the community, drills and their summaries.

Signed-in staff only (the session middleware already insists on a verified second factor);
someone who coordinates no community gets 403, another agency's community is a 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.toolkit.formats import write_rows

from .. import selectors, services
from ..errors import CommunityConflict, CommunityInvalid, NotFound
from ..forms import DrillForm, WarningForm, apply_errors
from ..models import Community

INVALID = 422
View = Callable[..., HttpResponse]


def coordinates(view: View) -> View:
    """Resolve `community_id` to a community the person coordinates, or answer 403/404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, community_id: int | None = None, **kwargs: Any) -> HttpResponse:
        if not selectors.may_coordinate(user=request.user):
            return render(request, "community/control/forbidden.html", status=403)
        if community_id is None:
            return view(request, **kwargs)
        try:
            community = selectors.community_get_for_user(user=request.user, community_id=community_id)
            return view(request, community, **kwargs)
        except NotFound:
            return render(request, "community/control/not_found.html", status=404)

    return wrapper


@coordinates
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/control/index.html",
        {"communities": selectors.communities_coordinated_by(user=request.user)},
    )


def _overview(request: HttpRequest, community: Community, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "community": community,
        "businesses": selectors.business_list(community=community),
        "counts": selectors.business_counts(community=community),
        "warnings": selectors.warning_list(community=community)[:20],
        "drills": selectors.drill_list(community=community),
        "error": error,
    }
    return render(request, "community/control/community.html", context, status=status)


@coordinates
def community(request: HttpRequest, community: Community) -> HttpResponse:
    return _overview(request, community)


def _business_action(
    request: HttpRequest, community: Community, business_id: int, action: Callable[..., Any]
) -> HttpResponse:
    try:
        business = selectors.business_get(community=community, business_id=business_id)
        action(business=business, by=request.user)
    except NotFound:
        return render(request, "community/control/not_found.html", status=404)
    except CommunityConflict as exc:
        return _overview(request, community, error=str(exc), status=409)
    return redirect("community_control:community", community_id=community.pk)


@coordinates
@require_POST
def business_approve(request: HttpRequest, community: Community, business_id: int) -> HttpResponse:
    return _business_action(request, community, business_id, services.business_approve)


@coordinates
@require_POST
def business_remove(request: HttpRequest, community: Community, business_id: int) -> HttpResponse:
    return _business_action(request, community, business_id, services.business_remove)


@coordinates
@require_http_methods(["GET", "POST"])
def warning_new(request: HttpRequest, community: Community) -> HttpResponse:
    form = WarningForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                warning = services.warning_send(
                    community=community,
                    texts=form.texts(),
                    by=request.user,
                    severity=form.cleaned_data["severity"],
                    urgency=form.cleaned_data["urgency"],
                    expires_hours=form.cleaned_data["expires_hours"],
                )
            except CommunityInvalid as exc:
                apply_errors(form, exc)
            else:
                return redirect("community_control:warning", community_id=community.pk, warning_id=warning.pk)
    context = {"community": community, "form": form, "active": selectors.business_counts(community=community)["active"]}
    return render(request, "community/control/warning_form.html", context, status=status)


@coordinates
def warning(request: HttpRequest, community: Community, warning_id: int) -> HttpResponse:
    try:
        found = selectors.warning_get(community=community, warning_id=warning_id)
    except NotFound:
        return render(request, "community/control/not_found.html", status=404)
    context = {"community": community, "warning": found, "deliveries": selectors.delivery_log(warning=found)}
    return render(request, "community/control/warning.html", context)


@coordinates
@require_http_methods(["GET", "POST"])
def drill_new(request: HttpRequest, community: Community) -> HttpResponse:
    form = DrillForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                drill = services.drill_schedule(
                    community=community,
                    texts=form.texts(),
                    scheduled_for=form.cleaned_data["scheduled_for"],
                    by=request.user,
                )
            except CommunityInvalid as exc:
                apply_errors(form, exc)
            else:
                return redirect("community_control:drill", community_id=community.pk, drill_id=drill.pk)
    return render(request, "community/control/drill_form.html", {"community": community, "form": form}, status=status)


def _drill_page(
    request: HttpRequest, community: Community, drill_id: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    try:
        drill = selectors.drill_get(community=community, drill_id=drill_id)
    except NotFound:
        return render(request, "community/control/not_found.html", status=404)
    context = {
        "community": community,
        "drill": drill,
        "summary": selectors.drill_summary(drill=drill, language=request.LANGUAGE_CODE),
        "deliveries": selectors.delivery_log(drill=drill),
        "error": error,
    }
    return render(request, "community/control/drill.html", context, status=status)


@coordinates
def drill(request: HttpRequest, community: Community, drill_id: int) -> HttpResponse:
    return _drill_page(request, community, drill_id)


def _drill_action(
    request: HttpRequest, community: Community, drill_id: int, action: Callable[..., Any]
) -> HttpResponse:
    try:
        found = selectors.drill_get(community=community, drill_id=drill_id)
        action(drill=found, by=request.user)
    except NotFound:
        return render(request, "community/control/not_found.html", status=404)
    except CommunityConflict as exc:
        return _drill_page(request, community, drill_id, error=str(exc), status=409)
    except CommunityInvalid as exc:
        message = " ".join(m for msgs in exc.errors.values() for m in msgs)
        return _drill_page(request, community, drill_id, error=message, status=INVALID)
    return redirect("community_control:drill", community_id=community.pk, drill_id=drill_id)


@coordinates
@require_POST
def drill_start(request: HttpRequest, community: Community, drill_id: int) -> HttpResponse:
    return _drill_action(request, community, drill_id, services.drill_start)


@coordinates
@require_POST
def drill_close(request: HttpRequest, community: Community, drill_id: int) -> HttpResponse:
    return _drill_action(request, community, drill_id, services.drill_close)


@coordinates
def drill_csv(request: HttpRequest, community: Community, drill_id: int) -> HttpResponse:
    """Counts and shares only: no business names, no contact data."""
    try:
        found = selectors.drill_get(community=community, drill_id=drill_id)
    except NotFound:
        return render(request, "community/control/not_found.html", status=404)
    summary = selectors.drill_summary(drill=found, language=request.LANGUAGE_CODE)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="drill-{found.pk}-summary.csv"'
    write_rows(selectors.drill_summary_rows(summary=summary), response, "csv", fieldnames=["measure", "item", "value"])  # type: ignore[arg-type]
    return response
