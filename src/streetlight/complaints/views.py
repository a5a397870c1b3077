"""Thin views for the complaint hand-over: parse, call one selector or service, answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from streetlight.accounts.decorators import recent_authentication_required, staff_user
from streetlight.reports import selectors as report_selectors
from streetlight.reports.errors import ReportNotFound

from . import document, selectors, services
from .errors import ComplaintRefused


def _refused(request: HttpRequest, exc: ComplaintRefused, back: str) -> HttpResponse:
    message = f"{exc.field}: {exc.message}" if exc.field else exc.message
    response = render(request, "complaints/refused.html", {"message": message, "back": back}, status=exc.status)
    response["Cache-Control"] = "no-store"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "control/not_found.html", status=404)


# The reporter ----------------------------------------------------------------------------------


def _by_token(request: HttpRequest, token: str, action: Callable[[Any], object]) -> HttpResponse:
    try:
        report = report_selectors.report_get_by_token(token=token)
    except ReportNotFound:
        return render(request, "reports/followup_unknown.html", status=404)
    back = reverse("reports:followup", args=[token]) + "#complaint"
    try:
        action(report)
    except ComplaintRefused as exc:
        response = _refused(request, exc, back)
        response["Referrer-Policy"] = "strict-origin"
        return response
    return redirect(back)


@require_POST
def consent_give(request: HttpRequest, token: str) -> HttpResponse:
    def give(report: Any) -> object:
        if request.POST.get("consent") != "yes":
            raise ComplaintRefused(_("Tick the box to give your consent."), status=400, field="consent")
        return services.consent_give(report=report)

    return _by_token(request, token, give)


@require_POST
def consent_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    return _by_token(request, token, lambda report: services.consent_withdraw(report=report))


# The police ------------------------------------------------------------------------------------


def _prepared(request: HttpRequest, report_id: int, fmt: str) -> dict[str, Any] | HttpResponse:
    back = reverse("control:report", args=[report_id])
    try:
        report, agency = selectors.police_report_get(user=staff_user(request), report_id=report_id)
        language = request.GET.get("language") or report.language
        return services.complaint_prepare(
            actor=staff_user(request), report=report, agency=agency, language=language, fmt=fmt
        )
    except ReportNotFound:
        return _not_found(request)
    except ComplaintRefused as exc:
        return _refused(request, exc, back)


@login_required
@require_GET
@recent_authentication_required
def complaint_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    data = _prepared(request, report_id, "pdf")
    if isinstance(data, HttpResponse):
        return data
    response = HttpResponse(document.render_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="complaint-{data["report"]["reference"]}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@recent_authentication_required
def complaint_json(request: HttpRequest, report_id: int) -> HttpResponse:
    data = _prepared(request, report_id, "json")
    if isinstance(data, HttpResponse):
        return data
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaint-{data["report"]["reference"]}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def reference_record(request: HttpRequest, report_id: int) -> HttpResponse:
    back = reverse("control:report", args=[report_id])
    try:
        report, _agency = selectors.police_report_get(user=staff_user(request), report_id=report_id)
        services.reference_record(
            actor=staff_user(request), report=report, reference=request.POST.get("police_reference", "")
        )
    except ReportNotFound:
        return _not_found(request)
    except ComplaintRefused as exc:
        return _refused(request, exc, back)
    return redirect(back + "#complaint")
