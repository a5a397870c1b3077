"""Public pages of the business community: what it is, registration with double opt-in, the
cyber-incident checklists, and a business's own page reached by its secret link. Thin: parse,
call one service or selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.core.ratelimit import submission_limited
from streetlight.reports import selectors as report_selectors

from .. import selectors, services
from ..checklists import BY_SLUG, INCIDENTS
from ..errors import CommunityConflict, CommunityInvalid, MailUnavailable, NotFound
from ..forms import AcknowledgeForm, RegisterForm, apply_errors

INVALID = 422


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "community/not_found.html", status=404)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "community/home.html", {"communities": selectors.community_list_open()})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, community_id: int) -> HttpResponse:
    try:
        community = selectors.community_get_open(community_id=community_id)
    except NotFound:
        return _not_found(request)
    areas = [(a.code, a.name) for a in selectors.area_list_for(community=community)]
    form = RegisterForm(
        (request.POST if request.method == "POST" else None), areas=areas, initial={"language": request.LANGUAGE_CODE}
    )
    status = 200
    if request.method == "POST":
        if (wait := submission_limited(request, group="community-register")) is not None:
            response = render(request, "community/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429)
            response["Retry-After"] = str(wait)
            return response
        status = INVALID
        if form.is_valid():
            try:
                services.business_register(community=community, draft=form.to_draft())
            except CommunityInvalid as exc:
                apply_errors(form, exc)
            except MailUnavailable:
                form.add_error(None, _mail_unavailable())
                status = 503
            else:
                return redirect("community:registered")
    return render(request, "community/register.html", {"form": form, "community": community}, status=status)


def _mail_unavailable() -> str:
    return _("We could not send the confirmation e-mail just now. Nothing was stored; please try again later.")


def registered(request: HttpRequest) -> HttpResponse:
    return render(request, "community/registered.html")


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners that open links must not confirm for the person."""
    try:
        business = selectors.business_get_by_confirm_token(token=token)
    except NotFound:
        return _not_found(request)
    if request.method == "GET":
        return render(request, "community/confirm.html", {"business": business})
    business = services.business_confirm(business=business)
    page = reverse("community:business", kwargs={"token": business.page_token})
    return render(
        request, "community/confirmed.html", {"business": business, "page_url": request.build_absolute_uri(page)}
    )


def cyber(request: HttpRequest) -> HttpResponse:
    return render(request, "community/cyber.html", {"incidents": INCIDENTS})


def cyber_kind(request: HttpRequest, kind: str) -> HttpResponse:
    incident = BY_SLUG.get(kind)
    if incident is None:
        return _not_found(request)
    category = report_selectors.category_get(code=incident.category)
    guidance = report_selectors.guidance_for(category=category) if category else {"support": [], "rights": ""}
    report_url = reverse("reports:new") + f"?category={incident.category}"
    context = {"incident": incident, "guidance": guidance, "report_url": report_url, "incidents": INCIDENTS}
    return render(request, "community/cyber_kind.html", context)


def business_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        business = selectors.business_get_by_page_token(token=token)
    except NotFound:
        return _not_found(request)
    context = {
        "business": business,
        "token": token,
        "warnings": selectors.business_warnings(business=business, language=request.LANGUAGE_CODE),
        "drills": selectors.business_drills(business=business),
        "acknowledged": request.GET.get("acknowledged") == "1",
    }
    return render(request, "community/business.html", context)


@require_http_methods(["GET", "POST"])
def drill_acknowledge(request: HttpRequest, token: str, drill_id: int) -> HttpResponse:
    try:
        business = selectors.business_get_by_page_token(token=token)
        drill, ack = selectors.business_drill_get(business=business, drill_id=drill_id)
    except NotFound:
        return _not_found(request)
    text = drill.text(request.LANGUAGE_CODE)
    initial = {"done_items": ack.done_items, "comment": ack.comment} if ack else {}
    form = AcknowledgeForm(
        (request.POST if request.method == "POST" else None), items=text["checklist"], initial=initial
    )
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                services.drill_acknowledge(
                    business=business,
                    drill=drill,
                    done_items=form.cleaned_data["done_items"],
                    comment=form.cleaned_data["comment"],
                )
            except CommunityInvalid as exc:
                apply_errors(form, exc)
            except CommunityConflict as exc:
                form.add_error(None, str(exc))
                status = 409
            except NotFound:
                return _not_found(request)
            else:
                return redirect(reverse("community:business", kwargs={"token": token}) + "?acknowledged=1")
    context = {"business": business, "drill": drill, "text": text, "ack": ack, "form": form, "token": token}
    return render(request, "community/acknowledge.html", context, status=status)


@require_POST
def leave(request: HttpRequest, token: str) -> HttpResponse:
    """A business may leave on its own; it then receives nothing more."""
    try:
        business = selectors.business_get_by_page_token(token=token)
    except NotFound:
        return _not_found(request)
    services.business_remove(business=business, by=None)
    return render(request, "community/left.html", {"business": business})
