"""Public warning pages, the CAP documents and the Atom index."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import capdoc, selectors
from .feeds import CAP_MIME, atom_feed
from .models import Alert


def _bad_parameter(request: HttpRequest, name: str, message: str) -> HttpResponse:
    return render(request, "alerts/bad_parameter.html", {"parameter": name, "message": message}, status=400)


def feed_filters(request: HttpRequest) -> tuple[dict[str, str | None], HttpResponse | None]:
    """area, topic and lang from the query string, or a 400 page naming the parameter at fault."""
    filters = {
        "area": request.GET.get("area") or None,
        "topic": request.GET.get("topic") or None,
        "lang": request.GET.get("lang") or None,
    }
    errors = selectors.filter_errors(**filters)
    if errors:
        name, message = next(iter(errors.items()))
        return filters, _bad_parameter(request, name, message)
    filters["lang"] = filters["lang"] or get_language() or settings.LANGUAGE_CODE
    return filters, None


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    filters, problem = feed_filters(request)
    if problem:
        return problem
    alerts = selectors.alert_list_public(area_code=filters["area"], topic=filters["topic"])
    language = get_language()
    context = {
        "entries": [(alert, selectors.alert_info_for(alert, language)) for alert in alerts],
        "areas": selectors.area_choices(),
        "topics": selectors.topic_choices(),
        "filters": filters,
        "now": timezone.now(),
    }
    return render(request, "alerts/list.html", context)


def _public(identifier: str) -> Alert:
    try:
        return selectors.alert_get_public(identifier=identifier)
    except Alert.DoesNotExist:
        raise Http404 from None


@require_GET
def alert_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = _public(identifier)
    current = selectors.alert_current(alert)
    in_force = current.pk == alert.pk and alert.msg_type != Alert.MsgType.CANCEL and alert.expires > timezone.now()
    context = {
        "alert": alert,
        "info": selectors.alert_info_for(alert, get_language()),
        "current": current if current.pk != alert.pk else None,
        "in_force": in_force,
        "cap_url": reverse("alerts:cap", args=[alert.identifier]),
    }
    return render(request, "alerts/detail.html", context)


@require_GET
def alert_cap(request: HttpRequest, identifier: str) -> HttpResponse:
    """The exact CAP document we validated and published."""
    alert = _public(identifier)
    response = HttpResponse(alert.document, content_type=f"{CAP_MIME}; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def alert_feed(request: HttpRequest) -> HttpResponse:
    filters, problem = feed_filters(request)
    if problem:
        return problem
    alerts = selectors.alert_feed_entries(area_code=filters["area"], topic=filters["topic"])
    body = atom_feed(
        alerts,
        title=_("Warnings for %(city)s") % {"city": settings.STREETLIGHT["CITY_NAME"]},
        feed_url=capdoc.absolute(request.get_full_path()),
        language=str(filters["lang"]),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
