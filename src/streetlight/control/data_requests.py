"""The city administrator answers a person's access or erasure request: enter their e-mail address
and the reason, see their reports, export them (JSON) or erase them. City administrators only;
every read and every erasure is audited with the reason. Thin: parse, call one selector or service,
render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.accounts.decorators import recent_authentication_required
from streetlight.accounts.models import User
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.rights_selectors import MAX_REASON, access_request_export, access_request_search
from streetlight.reports.services.rights import access_request_erase
from streetlight.triage.selectors import is_city_admin

View = Callable[..., HttpResponse]


class DataRequestForm(forms.Form):
    email = forms.EmailField(label=_("The person's e-mail address"), max_length=254)
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=MAX_REASON,
        help_text=_("For example: access request received by letter on 3 May, file 2026-118."),
    )


def city_admin_only(view: View) -> View:
    """Signed in, a city administrator (403 otherwise), and password and code given recently."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_city_admin(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _back(request: HttpRequest) -> str:
    return reverse("control:data_requests")


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _chosen(request: HttpRequest) -> list[int]:
    """The ticked reports; which of them may really be touched is the service's to decide."""
    return [int(value) for value in request.POST.getlist("report") if value.isdigit()]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, form: DataRequestForm, status: int = 200, **extra: Any) -> HttpResponse:
    return _private(render(request, "control/data_requests.html", {"form": form, **extra}, status=status))


def _refused(request: HttpRequest, form: DataRequestForm, exc: ReportInvalid) -> HttpResponse:
    for name, message in exc.errors.items():
        form.add_error(name if name in form.fields else None, message)
    return _page(request, form, status=400)


@city_admin_only
@require_http_methods(["GET", "POST"])
@recent_authentication_required(return_to=_back)
def data_requests(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the reports the address leads to (each one found is audited)."""
    form = DataRequestForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        reports = access_request_search(actor=_actor(request), **form.cleaned_data)
    except ReportInvalid as exc:
        return _refused(request, form, exc)
    return _page(request, form, reports=reports, searched=True)


@city_admin_only
@require_POST
@recent_authentication_required(return_to=_back)
def data_request_export(request: HttpRequest) -> HttpResponse:
    form = DataRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        document = access_request_export(actor=_actor(request), report_ids=_chosen(request), **form.cleaned_data)
    except ReportInvalid as exc:
        return _refused(request, form, exc)
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="access-request.json"'
    return _private(response)


@city_admin_only
@require_POST
@recent_authentication_required(return_to=_back)
def data_request_erase(request: HttpRequest) -> HttpResponse:
    """Without `confirmed`: the confirmation page listing what will go. With it: erase."""
    form = DataRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    chosen = _chosen(request)
    try:
        if request.POST.get("confirmed") != "yes":
            found = access_request_search(actor=_actor(request), **form.cleaned_data)
            context = {"form": form, "reports": [r for r in found if r.pk in chosen]}
            return _private(render(request, "control/data_request_erase.html", context))
        erased = access_request_erase(actor=_actor(request), report_ids=chosen, **form.cleaned_data)
    except ReportInvalid as exc:
        return _refused(request, form, exc)
    return _page(request, DataRequestForm(), erased=erased)
