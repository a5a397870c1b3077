"""The control room's signals page: open bursts of public posts about one place, with the posts'
texts and why they were counted (never their authors), to dismiss or promote to a report. The list
refreshes itself by htmx polling. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from streetlight.accounts.decorators import staff_allowed, staff_user
from streetlight.accounts.models import User
from streetlight.reports.errors import ReportInvalid

from . import selectors, services


def _may_see(user: User | AnonymousUser) -> bool:
    return selectors.may_see_signals(user=user)


# Members with a case role in any agency; anyone else signed in gets a 403 page.
operators_only = staff_allowed(_may_see, forbidden="feeds/control/forbidden.html")


def _open_context() -> dict[str, object]:
    return {"signals": [(s, selectors.signal_posts(signal=s)) for s in selectors.signals_open()]}


@operators_only
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    context = {**_open_context(), "handled": selectors.signals_recently_handled()}
    return render(request, "feeds/control/signals.html", context)


@operators_only
@require_GET
def signal_list_open(request: HttpRequest) -> HttpResponse:
    """The open signals alone, polled by the page."""
    return render(request, "feeds/control/_open.html", _open_context())


@operators_only
@require_POST
def signal_dismiss(request: HttpRequest, signal_id: int) -> HttpResponse:
    if selectors.signal_get(signal_id=signal_id) is None:
        return render(request, "control/not_found.html", status=404)
    try:
        services.signal_dismiss(signal_id=signal_id, by=staff_user(request))
    except services.SignalClosed:
        messages.warning(request, _("This signal was already handled."))
    else:
        messages.success(request, _("Signal dismissed."))
    return redirect("feeds_control:list")


@operators_only
@require_POST
def signal_promote(request: HttpRequest, signal_id: int) -> HttpResponse:
    if selectors.signal_get(signal_id=signal_id) is None:
        return render(request, "control/not_found.html", status=404)
    try:
        report = services.signal_promote(signal_id=signal_id, by=staff_user(request))
    except services.SignalClosed:
        messages.warning(request, _("This signal was already handled."))
    except ReportInvalid as exc:
        messages.error(request, _("The report could not be made: %(reason)s") % {"reason": exc})
    else:
        messages.success(
            request,
            _("Report %(reference)s made from the signal; it is routed like any other.")
            % {"reference": report.reference},
        )
    return redirect("feeds_control:list")
