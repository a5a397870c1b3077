"""Resident pages: subscribe, confirm, unsubscribe, and the per-choice Atom feed.

Thin: parse, call one service or selector, render. No ORM here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from streetlight.core.ratelimit import submission_limited

from . import selectors, services
from .conf import setting
from .errors import MailUnavailable, SubscriptionInvalid, SubscriptionUndeliverable, TokenExpired, TokenUnknown
from .feeds import subscriber_feed
from .forms import FeedQuery, SubscribeForm
from .models import Subscription


def _lang() -> str:
    return (get_language() or "en")[:2]


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(
        (request.POST if request.method == "POST" else None),
        initial={"language": _lang()},
        areas=selectors.area_choices(),
        topics=selectors.topic_choices(),
    )
    status = 200
    if request.method == "POST":
        if (wait := submission_limited(request, group="subscribe")) is not None:
            response = render(
                request, "subscriptions/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        status = 400
        if form.is_valid():
            try:
                services.subscription_request(email=form.cleaned_data["email"], choices=form.to_choices())
            except SubscriptionInvalid as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except SubscriptionUndeliverable as exc:
                form.add_error("email", _("We could not deliver to this address: %(reason)s") % {"reason": exc})
                status = 422
            except MailUnavailable:
                form.add_error(None, _("We cannot send e-mail right now. Nothing was saved; please try again later."))
                status = 503
            else:
                return redirect("subscriptions:check_inbox")
    return render(request, "subscriptions/subscribe.html", {"form": form}, status=status)


@require_GET
def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/check_inbox.html", {"hours": setting("CONFIRM_HOURS")})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners fetch links, and must not confirm for the reader."""
    try:
        sub = selectors.subscription_by_confirm_token(token=token)
    except TokenExpired:
        return render(request, "subscriptions/confirm_expired.html", status=410)
    except TokenUnknown:
        return render(request, "subscriptions/link_unknown.html", status=404)
    if request.method == "POST":
        services.subscription_confirm(sub=sub)
        return render(request, "subscriptions/confirmed.html")
    return render(request, "subscriptions/confirm.html", {"changing": bool(sub.pending_choices)})


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the token authenticates.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sub = selectors.subscription_by_unsubscribe_token(token=token)
    except TokenUnknown:
        return render(request, "subscriptions/link_unknown.html", status=404)
    if request.method == "POST":
        services.subscription_unsubscribe(sub=sub)
        return render(request, "subscriptions/unsubscribed.html")
    if sub.status == Subscription.Status.UNSUBSCRIBED:
        return render(request, "subscriptions/unsubscribed.html")
    return render(request, "subscriptions/unsubscribe.html")


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    query = FeedQuery(request.GET, areas=selectors.area_choices(), topics=selectors.topic_choices())
    if not query.is_valid():
        return HttpResponse(query.problems() + "\n", status=400, content_type="text/plain; charset=utf-8")
    data = query.cleaned_data
    alerts = selectors.feed_alerts(
        area=data["area"] or None, topic=data["topic"] or None, include_exercises=bool(data["exercises"])
    )
    body = subscriber_feed(
        alerts,
        language=data["lang"] or _lang(),
        feed_url=request.build_absolute_uri(),
        home_url=request.build_absolute_uri(reverse("subscriptions:subscribe")),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
