"""The Open311 envelope around each view: format from the URL, method check, language, and every
error in Open311's own format (`[{"code": 400, "description": "lat: …"}]` or `<errors>`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from streetlight.toolkit.formats.open311 import CONTENT_TYPES, dumps

from . import presenters
from .params import Open311Problem

LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


@dataclass
class Document:
    """What a view answers: the kind of Open311 document and its data."""

    kind: str
    data: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def render(document: Document, fmt: str) -> HttpResponse:
    response = HttpResponse(
        dumps(document.kind, document.data, fmt), status=document.status, content_type=CONTENT_TYPES[fmt]
    )
    for name, value in document.headers.items():
        response[name] = value
    return response


def render_problem(problem: Open311Problem, fmt: str) -> HttpResponse:
    document = Document(
        kind="errors",
        data=presenters.errors(problem.status, problem.descriptions),
        status=problem.status,
        headers=problem.headers,
    )
    return render(document, fmt)


def request_language(request: HttpRequest) -> str:
    """The `locale` parameter (fr, fr_BE, fr-BE) if we ship that language, else the language the
    middleware chose from Accept-Language, else English."""
    form = request.POST if request.method == "POST" else request.GET
    locale = request.GET.get("locale") or form.get("locale")
    for candidate in (locale, translation.get_language()):
        code = (candidate or "").replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


View = Callable[..., Document]


def endpoint(*methods: str) -> Callable[[View], Callable[..., HttpResponse]]:
    """Wrap a view that returns a Document. Clients post forms without CSRF tokens (they
    authenticate with api_key), hence csrf_exempt; an unknown extension is a 404, answered in JSON
    since we cannot know which format the client reads."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in CONTENT_TYPES:
                message = _("Unknown format %(fmt)s: use .xml or .json.") % {"fmt": fmt[:20]}
                return render_problem(Open311Problem(404, [("", message)]), "json")
            if request.method not in allowed:
                message = _("Use %(methods)s here.") % {"methods": " or ".join(sorted(methods))}
                headers = {"Allow": ", ".join(sorted(allowed))}
                return render_problem(Open311Problem(405, [("", message)], headers), fmt)
            try:
                language = request_language(request)  # reads the query string and the form
            except RequestDataTooBig:
                return render_problem(Open311Problem(413, [("", _("The request is too large."))]), fmt)
            except SuspiciousOperation:
                return render_problem(Open311Problem(400, [("", _("The request could not be read."))]), fmt)
            with translation.override(language):
                try:
                    document = view(request, *args, language=language, **kwargs)
                except Open311Problem as problem:
                    response = render_problem(problem, fmt)
                else:
                    response = render(document, fmt)
            response["Content-Language"] = language
            return response

        return wrapper

    return decorate


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything else under the Open311 root: a 404 in Open311's format rather than a web page, for a
    client's POST too (it has no CSRF token: without the exemption it got the web form's 403)."""
    fmt = "xml" if path.endswith(".xml") else "json"
    return render_problem(Open311Problem(404, [("", _("There is no such Open311 resource."))]), fmt)
