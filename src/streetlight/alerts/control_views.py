"""Control-room screens: issue, update and cancel warnings; download a message wrapped in EDXL-DE."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from streetlight.accounts.decorators import staff_allowed, staff_user
from streetlight.accounts.models import User
from streetlight.reports.geo import area_index
from streetlight.toolkit.formats.edxl import wrap_edxl_de

from . import capdoc, selectors, services
from .forms import AlertForm
from .models import Alert

View = Callable[..., HttpResponse]


def _may_issue(user: User | AnonymousUser) -> bool:
    return selectors.may_issue_alerts(user=user)


# Operators, supervisors and administrators; anyone else signed in gets a 403 page.
issuers_only = staff_allowed(_may_issue, forbidden="alerts/control/forbidden.html")


def _form(request: HttpRequest, data: Any = None, initial: dict[str, Any] | None = None) -> AlertForm:
    return AlertForm(
        data,
        initial=initial,
        area_choices=selectors.area_choices(),
        topic_choices=selectors.topic_choices(),
    )


def _get(pk: int) -> Alert | None:
    try:
        return selectors.alert_get_for_staff(pk=pk)
    except Alert.DoesNotExist:
        return None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "control/not_found.html", status=404)


@issuers_only
def alert_list(request: HttpRequest) -> HttpResponse:
    active, ended = selectors.alert_list_for_staff()
    return render(request, "alerts/control/list.html", {"active": active, "ended": ended})


@issuers_only
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = _form(request, request.POST if request.method == "POST" else None, initial=_new_initial())
    if request.method == "POST":
        alert = _submit(form, lambda draft: services.alert_issue(draft=draft, by=user, agency=_agency(user)))
        if alert is not None:
            return redirect("alerts_control:detail", pk=alert.pk)
    return _form_page(request, form, title=_("New warning"), status=400 if form.errors else 200)


@issuers_only
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get(pk)
    if alert is None:
        return _not_found(request)
    current = selectors.alert_current(alert)
    context = {
        "alert": current,
        "thread": selectors.alert_thread(current),
        "form": _form(request, initial=initial_from(current)) if current.msg_type != Alert.MsgType.CANCEL else None,
        "public_url": capdoc.page_url(current) if current.scope == Alert.Scope.PUBLIC else None,
        "area_codes": sorted(selectors.alert_area_codes(current)),
    }
    return render(request, "alerts/control/detail.html", context)


@issuers_only
@require_POST
def alert_update(request: HttpRequest, pk: int) -> HttpResponse:
    original = _get(pk)
    if original is None:
        return _not_found(request)
    form = _form(request, request.POST)
    user = staff_user(request)
    try:
        alert = _submit(form, lambda draft: services.alert_update(original=original, draft=draft, by=user))
    except services.AlertConflict as exc:
        return render(request, "alerts/control/conflict.html", {"message": str(exc), "alert": original}, status=409)
    if alert is not None:
        return redirect("alerts_control:detail", pk=alert.pk)
    return _form_page(request, form, title=_("Update the warning"), status=400, original=original)


@issuers_only
@require_POST
def alert_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    original = _get(pk)
    if original is None:
        return _not_found(request)
    try:
        alert = services.alert_cancel(original=original, note=request.POST.get("note", ""), by=staff_user(request))
    except services.AlertConflict as exc:
        return render(request, "alerts/control/conflict.html", {"message": str(exc), "alert": original}, status=409)
    except services.AlertInvalid as exc:
        return render(request, "alerts/control/conflict.html", {"message": str(exc), "alert": original}, status=400)
    return redirect("alerts_control:detail", pk=alert.pk)


@issuers_only
def alert_edxl(request: HttpRequest, pk: int) -> HttpResponse:
    """The message in an EDXL-DE 1.0 envelope, for partners' systems that take distributions."""
    alert = _get(pk)
    if alert is None:
        return _not_found(request)
    body = wrap_edxl_de(
        [alert.document.encode("utf-8")],
        distribution_id=f"{alert.identifier}.de",
        sender_id=capdoc.cap_sender(),
        sent=timezone.localtime(timezone.now()).replace(microsecond=0),
        status=alert.status,
        keywords=[("urn:streetlight:kind", alert.kind)],
    )
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{alert.identifier}.edxl.xml"'
    return response


def _agency(user: User) -> Any:
    return selectors.issuing_agencies(user=user).first()


def _submit(form: AlertForm, publish: Callable[[services.AlertDraft], Alert]) -> Alert | None:
    if not form.is_valid():
        return None
    draft = form.to_draft()
    if form.errors:
        return None
    try:
        return publish(draft)
    except services.AlertInvalid as exc:
        form.add_service_errors(exc.errors)
        return None


def _form_page(
    request: HttpRequest, form: AlertForm, *, title: str, status: int, original: Alert | None = None
) -> HttpResponse:
    return render(
        request,
        "alerts/control/form.html",
        {"form": form, "title": title, "original": original, "city_bounds": city_bounds()},
        status=status,
    )


def city_bounds() -> list[float] | None:
    index = area_index()
    return list(index.bounds) if index else None


def _new_initial() -> dict[str, Any]:
    now = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    return {"expires": now + timedelta(hours=6), "status": "Actual", "scope": "Public"}


def initial_from(alert: Alert) -> dict[str, Any]:
    """The update form starts from the current message."""
    initial: dict[str, Any] = {
        "kind": alert.kind,
        "status": alert.status,
        "scope": alert.scope,
        "restriction": alert.restriction,
        "cap_categories": alert.cap_categories,
        "topics": alert.topics,
        "urgency": alert.urgency,
        "severity": alert.severity,
        "certainty": alert.certainty,
        "response_types": alert.response_types,
        "onset": timezone.localtime(alert.onset) if alert.onset else None,
        "expires": timezone.localtime(alert.expires),
        "area_description": alert.area_description,
    }
    if alert.area_id and alert.area:
        initial.update(area_mode="area", area_code=alert.area.code)
    elif alert.circles:
        lat, lon, radius = alert.circles[0]
        initial.update(area_mode="circle", circle_lat=lat, circle_lon=lon, circle_radius_km=radius)
    else:
        initial.update(area_mode="polygon", polygon=" ".join(f"{lat},{lon}" for lat, lon in alert.polygons[0]))
    for info in alert.infos.all():
        for name in ("event", "headline", "description", "instruction"):
            initial[f"{name}_{info.language}"] = getattr(info, name)
    return initial
