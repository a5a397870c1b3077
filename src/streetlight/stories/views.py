"""Thin views: the public wall (page, feed, exports, "me too") and the reporter's story, opened by
the follow-up token. Parse, call one selector or service, render."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from streetlight.core.ratelimit import submission_limited
from streetlight.core.tokens import new_token
from streetlight.reports import selectors as report_selectors
from streetlight.reports.errors import ReportNotFound

from . import feeds, selectors, services
from .errors import StoryRefused, published_refusal, withdrawn_refusal
from .forms import StoryForm
from .models import MAX_LENGTH, Story, StoryStatus

PAGE_SIZE = 20
HTTPS = bool(getattr(settings, "HTTPS", False))
#: The random id of a browser's "me too" marks: set only when someone presses the button.
ME_TOO_COOKIE = "__Host-metoo" if HTTPS else "metoo"
ME_TOO_COOKIE_AGE = timedelta(days=365)
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _lang() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _no_store(response: HttpResponse) -> HttpResponse:
    """The token is in the path: no cache keeps the page, and only our origin goes onward."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin"
    return response


def _fresh(response: HttpResponse) -> HttpResponse:
    """Public pages, the feed and exports are checked again on every use, so a withdrawn story is
    gone from them at once, from caches too."""
    response["Cache-Control"] = "no-cache"
    return response


def _bad_parameter(request: HttpRequest, exc: StoryRefused) -> HttpResponse:
    context = {"parameter": exc.field, "message": exc.message}
    return render(request, "stories/bad_parameter.html", context, status=exc.status)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/not_found.html", status=404)


def _filters(request: HttpRequest) -> selectors.WallFilters:
    return selectors.filters_parse(
        category=request.GET.get("category", ""),
        district=request.GET.get("district", ""),
        query=request.GET.get("q", ""),
    )


def _filter_query(filters: selectors.WallFilters) -> str:
    pairs = {"category": filters.category, "district": filters.district, "q": filters.query}
    return urlencode({key: value for key, value in pairs.items() if value})


def _browser(request: HttpRequest) -> str:
    value = request.COOKIES.get(ME_TOO_COOKIE, "")
    return value if _COOKIE_VALUE.match(value) else ""


# --- the public wall ------------------------------------------------------------------------------


@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    try:
        filters = _filters(request)
    except StoryRefused as exc:
        return _bad_parameter(request, exc)
    page = Paginator(selectors.wall(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    language = _lang()
    context = {
        "page": page,
        "marked": selectors.marked_by(browser=_browser(request), stories=page.object_list),
        "filters": filters,
        "filter_query": _filter_query(filters),
        "categories": selectors.category_choices(),
        "districts": selectors.district_choices(),
        "groups": selectors.peer_groups(category=filters.category or None, language=language),
        "language": language,
    }
    return _fresh(render(request, "stories/wall.html", context))


@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        story = selectors.public_story(public_id=public_id)
    except StoryRefused:
        return _not_found(request)
    language = _lang()
    context = {
        "story": story,
        "marked": selectors.marked_by(browser=_browser(request), stories=[story]),
        "groups": selectors.peer_groups(category=story.category, language=language),
        "language": language,
    }
    return _fresh(render(request, "stories/detail.html", context))


def _back(request: HttpRequest, story: Story) -> str:
    """Where the button was pressed (a wall page or the story's own), never elsewhere."""
    nxt = request.POST.get("next", "")
    if nxt.startswith("/stories/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt.split("#", 1)[0]
    return reverse("stories:detail", args=[story.public_id])


@require_POST
def me_too(request: HttpRequest, public_id: str) -> HttpResponse:
    if (wait := submission_limited(request, group="story-me-too")) is not None:
        response = render(request, "stories/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429)
        response["Retry-After"] = str(wait)
        return response
    browser = _browser(request) or new_token()
    try:
        story, _counted = services.me_too_add(public_id=public_id, browser=browser)
    except StoryRefused:
        return _not_found(request)
    response = redirect(f"{_back(request, story)}#story-{story.public_id}")
    response.set_cookie(
        ME_TOO_COOKIE,
        browser,
        max_age=int(ME_TOO_COOKIE_AGE.total_seconds()),
        secure=HTTPS,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    try:
        filters = _filters(request)
    except StoryRefused as exc:
        return _bad_parameter(request, exc)
    city = settings.STREETLIGHT["CITY_NAME"]
    body = feeds.atom_feed(
        selectors.feed_entries(filters=filters),
        title=_("Shared stories from %(city)s") % {"city": city},
        feed_url=feeds.absolute(request.get_full_path()),
        language=_lang(),
    )
    return _fresh(HttpResponse(body, content_type="application/atom+xml; charset=utf-8"))


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        filters = _filters(request)
    except StoryRefused as exc:
        return _bad_parameter(request, exc)
    stories = selectors.export_entries(filters=filters)
    if fmt == "csv":
        response = HttpResponse(feeds.export_csv(stories, _lang()), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(feeds.export_json(stories, _lang()), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stories.{fmt}"'
    return _fresh(response)


# --- the reporter, by their follow-up token ---------------------------------------------------------


def _report(token: str) -> Any:
    return report_selectors.report_get_by_token(token=token)


def _unknown(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "reports/followup_unknown.html", status=404))


def _refused(request: HttpRequest, exc: StoryRefused, token: str) -> HttpResponse:
    back = reverse("reports:followup", args=[token]) + "#story"
    return _no_store(render(request, "stories/refused.html", {"message": exc.message, "back": back}, status=exc.status))


@require_http_methods(["GET", "POST"])
def story_page(request: HttpRequest, token: str) -> HttpResponse:
    """The form (a new story, or a change to one that waits or was not published), or the published
    story's status with the way to withdraw it."""
    try:
        report = _report(token)
    except ReportNotFound:
        return _unknown(request)
    story = selectors.story_of(report=report)
    if story is not None and story.status == StoryStatus.WITHDRAWN:
        return _refused(request, withdrawn_refusal(), token)
    data = request.POST if request.method == "POST" else None
    editable = story is None or story.status != StoryStatus.APPROVED
    if data is not None and not editable:
        return _refused(request, published_refusal(), token)
    initial = {"language": story.language if story else report.language, "text": story.original_text if story else ""}
    form = StoryForm(data, initial=initial)
    status = 200
    if data is not None:
        if (wait := submission_limited(request, group="story")) is not None:
            response = render(request, "stories/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429)
            response["Retry-After"] = str(wait)
            return _no_store(response)
        if form.is_valid():
            try:
                services.story_submit(
                    report=report, text=form.cleaned_data["text"], language=form.cleaned_data["language"]
                )
            except StoryRefused as exc:
                if not exc.field:
                    return _refused(request, exc, token)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect(reverse("stories:mine", args=[token]) + "?sent=1")
        status = 400
    context = {
        "story": story,
        "form": form,
        "editable": editable,
        "token": token,
        "max_length": number_format(MAX_LENGTH, force_grouping=True),
        "sent": request.GET.get("sent") == "1",
    }
    return _no_store(render(request, "stories/mine.html", context, status=status))


@require_http_methods(["GET", "POST"])
def story_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST erases the story at once."""
    try:
        report = _report(token)
    except ReportNotFound:
        return _unknown(request)
    try:
        if request.method == "POST":
            services.story_withdraw(report=report)
            return _no_store(redirect(reverse("reports:followup", args=[token]) + "#story"))
        story = selectors.story_to_withdraw(report=report)
    except StoryRefused as exc:
        return _refused(request, exc, token)
    return _no_store(render(request, "stories/withdraw.html", {"story": story, "token": token}))
