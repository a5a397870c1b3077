"""Resident pages: report, "I feel unsafe here", confirmation with guidance, follow-up.

Thin: parse the form, call one service or selector, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from streetlight.core.ratelimit import submission_limited
from streetlight.toolkit.geo import is_night

from . import selectors, services
from .drafts import PhotoUpload
from .errors import ReportInvalid, ReportNotFound
from .forms import FORM_FIELDS, AddInformationForm, FollowupLookupForm, RateForm, ReopenForm, ReportForm, UnsafeForm
from .geo import area_index
from .services.closing import FINISHED

UNSAFE_CATEGORY = "unsafe"


def _lang() -> str:
    return (get_language() or "en")[:2]


def _map_context() -> dict[str, Any]:
    index = area_index()
    areas = index.to_geojson() if index else {"type": "FeatureCollection", "features": []}
    bounds = index.bounds if index else None
    return {"areas_geojson": areas, "map_bounds": bounds}


def _area_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in selectors.area_list()]


def _apply_service_errors(form: Any, exc: ReportInvalid) -> None:
    for field, message in exc.errors.items():
        name = FORM_FIELDS.get(field, field)
        form.add_error(name if name in form.fields else None, message)


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    if (wait := submission_limited(request)) is None:
        return None
    minutes = max(1, round(wait / 60))
    response = render(request, "reports/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/home.html")


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    tree = selectors.category_tree()
    kinds = {c.code: c.kind for main, children in tree for c in (main, *children)}
    # A guidance page (e.g. the business cyber checklists) may open the form on its category.
    preset = request.GET.get("category", "")
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"idempotency_key": uuid.uuid4().hex} | ({"category": preset} if preset in kinds else {}),
        category_kinds=kinds,
    )
    form.set_areas(_area_choices())
    status = 200
    if request.method == "POST":
        if limited := _rate_limited(request):
            return limited
        if form.is_valid():
            try:
                submitted = services.report_submit(
                    draft=form.to_draft(language=_lang()),
                    source="web",
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None,
                )
            except ReportInvalid as exc:
                _apply_service_errors(form, exc)
            else:
                return _done_redirect(request, submitted)
        status = 400
    chosen = form["category"].value()
    selected_main = next(
        (main.code for main, children in tree if chosen == main.code or any(c.code == chosen for c in children)),
        None,
    )
    context = {"form": form, "tree": tree, "selected_main": selected_main, **_map_context()}
    return render(request, "reports/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def unsafe_new(request: HttpRequest) -> HttpResponse:
    index = area_index()
    centre = index.bounds if index else None
    night = False
    if centre:
        night = is_night(timezone.now(), (centre[0] + centre[2]) / 2, (centre[1] + centre[3]) / 2)
    form = UnsafeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "idempotency_key": uuid.uuid4().hex,
            "day_night": "night" if night else "day",
            "location_kind": "point",
        },
    )
    form.set_areas(_area_choices())
    status = 200
    if request.method == "POST":
        if limited := _rate_limited(request):
            return limited
        if form.is_valid():
            try:
                submitted = services.report_submit(
                    draft=form.to_draft(language=_lang(), category=UNSAFE_CATEGORY),
                    source="web",
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None,
                )
            except ReportInvalid as exc:
                _apply_service_errors(form, exc)
            else:
                return _done_redirect(request, submitted)
        status = 400
    return render(request, "reports/unsafe_form.html", {"form": form, **_map_context()}, status=status)


def _done_redirect(request: HttpRequest, submitted: services.Submitted) -> HttpResponse:
    """The follow-up token goes through the session, not the URL, so it is not left in logs."""
    request.session["last_report"] = {
        "reference": submitted.report.reference,
        "token": submitted.followup_token,
    }
    return redirect("reports:done")


def report_done(request: HttpRequest) -> HttpResponse:
    last = request.session.get("last_report")
    if not last:
        return redirect("reports:home")
    try:
        report = selectors.report_get_by_token(token=last["token"])
    except ReportNotFound:
        return redirect("reports:home")
    guidance = selectors.guidance_for_report(report=report)
    followup_url = request.build_absolute_uri(f"/f/{last['token']}/")
    return render(
        request,
        "reports/done.html",
        {
            "report": report,
            "guidance": guidance,
            "followup_url": followup_url,
        },
    )


@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest, token: str) -> HttpResponse:
    try:
        report = selectors.report_get_by_token(token=token)
    except ReportNotFound:
        return render(request, "reports/followup_unknown.html", status=404)
    form = AddInformationForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            photos = tuple(PhotoUpload(name=f.name or "photo", content=f.read()) for f in form.cleaned_data["photos"])
            try:
                services.report_add_information(report=report, body=form.cleaned_data["body"], photos=photos)
            except ReportInvalid as exc:
                _apply_service_errors(form, exc)
            else:
                return redirect(request.path + "?added=1#messages")
        status = 400
    return _followup_response(request, _followup_context(request, report, form=form), status=status)


def _followup_context(request: HttpRequest, report: Any, **forms_: Any) -> dict[str, Any]:
    return {
        "report": report,
        "history": selectors.report_history(report=report),
        "messages_public": selectors.report_public_messages(report=report),
        "guidance": selectors.guidance_for_report(report=report),
        "form": forms_.get("form") or AddInformationForm(),
        "rate_form": forms_.get("rate_form") or RateForm(),
        "reopen_form": forms_.get("reopen_form") or ReopenForm(),
        "finished": report.status in FINISHED,
        "added": request.GET.get("added") == "1",
        "rated": request.GET.get("rated") == "1",
    }


def _followup_response(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "reports/followup.html", context, status=status)
    # The token is in the path: send only our origin onward (no-referrer would make browsers send
    # "Origin: null" on this page's own forms, which CSRF protection rightly refuses).
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "no-store"
    return response


def _closing_post(
    request: HttpRequest,
    token: str,
    form_class: type[forms.Form],
    form_key: str,
    apply: Callable[[Any, dict[str, Any]], object],
    done_url: str,
) -> HttpResponse:
    """Rating and reopening share one shape: find the report by token, check the form, call the
    service, and show the follow-up page again with the errors if anything is wrong."""
    try:
        report = selectors.report_get_by_token(token=token)
    except ReportNotFound:
        return render(request, "reports/followup_unknown.html", status=404)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(report, form.cleaned_data)
        except ReportInvalid as exc:
            _apply_service_errors(form, exc)
        else:
            return redirect(done_url)
    return _followup_response(request, _followup_context(request, report, **{form_key: form}), status=400)


@require_http_methods(["POST"])
def followup_rate(request: HttpRequest, token: str) -> HttpResponse:
    return _closing_post(
        request,
        token,
        RateForm,
        "rate_form",
        lambda report, data: services.report_rate(report=report, score=data["score"], comment=data["comment"]),
        f"/f/{token}/?rated=1#closing",
    )


@require_http_methods(["POST"])
def followup_reopen(request: HttpRequest, token: str) -> HttpResponse:
    return _closing_post(
        request,
        token,
        ReopenForm,
        "reopen_form",
        lambda report, data: services.report_reopen_by_reporter(report=report, reason=data["reason"]),
        f"/f/{token}/#history-title",
    )


@require_http_methods(["GET", "POST"])
def followup_lookup(request: HttpRequest) -> HttpResponse:
    form = FollowupLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().rstrip("/").rsplit("/", 1)[-1]
        try:
            selectors.report_get_by_token(token=token)
        except ReportNotFound:
            form.add_error("token", _("We don't know this code. Check that you copied all of it."))
        else:
            return redirect("reports:followup", token=token)
    status = 400 if form.errors else 200
    return render(request, "reports/followup_lookup.html", {"form": form}, status=status)
