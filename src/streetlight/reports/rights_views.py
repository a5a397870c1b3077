"""The reporter's data rights on the follow-up page: download the report, or erase it. The token
is the only key; a wrong one gets the same 404 page as every other follow-up screen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors
from .errors import ReportNotFound
from .models import Report
from .rights_selectors import report_export_for_reporter
from .services.rights import report_erase_by_reporter


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the path: keep it out of caches and referrers (as the follow-up page does)."""
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "no-store"
    return response


def _report(token: str) -> Report | None:
    try:
        return selectors.report_get_by_token(token=token)
    except ReportNotFound:
        return None


@require_POST
def followup_download(request: HttpRequest, token: str) -> HttpResponse:
    """A POST, so a link preview or a prefetch never makes an (audited) download by itself."""
    report = _report(token)
    if report is None:
        return render(request, "reports/followup_unknown.html", status=404)
    response = JsonResponse(report_export_for_reporter(report=report), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{report.reference}.json"'
    return _private(response)


@require_http_methods(["GET", "POST"])
def followup_erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation, saying what goes and what stays; POST erases."""
    report = _report(token)
    if report is None:
        return render(request, "reports/followup_unknown.html", status=404)
    if request.method == "POST":
        request.session["erased_references"] = report_erase_by_reporter(report=report)
        return redirect("reports:followup_erased")
    return _private(render(request, "reports/followup_erase.html", {"report": report}))


def followup_erased(request: HttpRequest) -> HttpResponse:
    references = request.session.pop("erased_references", None)
    if not references:
        return redirect("reports:home")
    return _private(render(request, "reports/followup_erased.html", {"references": references}))
