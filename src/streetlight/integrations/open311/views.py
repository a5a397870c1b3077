"""Open311 GeoReport v2 server, plus mySociety's servicerequestupdates extension.

Each view parses, calls one selector or service, and returns a Document; `endpoint` writes it as
JSON or XML and turns Open311Problem into the spec's error format."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from streetlight.core.ratelimit import submission_limited
from streetlight.reports import public_selectors
from streetlight.reports.errors import ReportInvalid

from .. import selectors, services
from . import presenters
from .http import Document, endpoint
from .params import (
    Open311Problem,
    flatten,
    intake_errors,
    parse_request_query,
    parse_submission,
    parse_update_query,
)


def _service_exists(code: str) -> bool:
    return public_selectors.open311_category_get(code=code) is not None


def _next_link(request: HttpRequest, page: int) -> dict[str, str]:
    """RFC 8288 Link to the next page: the documents themselves have no place for paging."""
    query = request.GET.copy()
    query["page"] = str(page + 1)
    return {"Link": f'<{request.build_absolute_uri(request.path)}?{urlencode(query, doseq=True)}>; rel="next"'}


@endpoint("GET")
def discovery(request: HttpRequest, *, language: str) -> Document:
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"}))
    return Document("discovery", presenters.discovery(endpoint_url=url.removesuffix("discovery.xml")))


@endpoint("GET")
def service_list(request: HttpRequest, *, language: str) -> Document:
    categories = public_selectors.open311_category_list()
    return Document("services", [presenters.service(category, language) for category in categories])


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, *, language: str) -> Document:
    category = public_selectors.open311_category_get(code=service_code)
    if category is None:
        raise Open311Problem(404, [("service_code", _("There is no service with this service_code."))])
    return Document("service_definition", presenters.service_definition(category))


def _submit(request: HttpRequest, language: str) -> Document:
    if (wait := submission_limited(request)) is not None:
        message = _("Too many requests from this connection: wait %(s)d seconds and try again.") % {"s": wait}
        raise Open311Problem(429, [("", message)], {"Retry-After": str(wait)})
    data = flatten(request.POST)
    raw_key = data.get("api_key") or request.GET.get("api_key", "")
    client = selectors.open311_client_get_by_key(raw_key=raw_key)
    if client is None:
        raise Open311Problem(403, [("api_key", _("Missing or invalid api_key: no request was created."))])
    submission = parse_submission(data, service_exists=_service_exists)
    try:
        submitted = services.open311_request_submit(client=client, submission=submission, language=language)
    except ReportInvalid as exc:
        raise intake_errors(exc.errors) from None
    return Document("service_requests", [presenters.created(submitted.report)])


def _search(request: HttpRequest, language: str) -> Document:
    query = parse_request_query(flatten(request.GET), now=timezone.now())
    reports = public_selectors.public_report_list(
        references=query.references,
        codes=query.codes,
        statuses=query.statuses,
        start=query.window.start,
        end=query.window.end,
    )
    if not query.references:
        reports = reports[query.page.offset : query.page.offset + query.page.size + 1]
    rows = list(reports)
    more = not query.references and len(rows) > query.page.size
    headers = _next_link(request, query.page.number) if more else {}
    data = [presenters.request(report, language) for report in rows[: query.page.size]]
    return Document("service_requests", data, headers=headers)


@endpoint("GET", "POST")
def requests(request: HttpRequest, *, language: str) -> Document:
    return _submit(request, language) if request.method == "POST" else _search(request, language)


@endpoint("GET")
def request_detail(request: HttpRequest, service_request_id: str, *, language: str) -> Document:
    report = public_selectors.public_report_get(reference=service_request_id)
    if report is None:
        raise Open311Problem(404, [("service_request_id", _("There is no public request with this id."))])
    return Document("service_requests", [presenters.request(report, language)])


@endpoint("GET")
def token(request: HttpRequest, token: str, *, language: str) -> Document:
    """Our services are realtime: POST answers with the id, so no token ever exists."""
    message = _("There is no such token: this server returns the service_request_id directly.")
    raise Open311Problem(404, [("token", message)])


@endpoint("GET")
def service_request_updates(request: HttpRequest, *, language: str) -> Document:
    data = flatten(request.GET)
    if data.get("api_key") and selectors.open311_client_get_by_key(raw_key=data["api_key"]) is None:
        raise Open311Problem(403, [("api_key", _("Invalid api_key."))])
    query = parse_update_query(data, now=timezone.now())
    changes = public_selectors.public_status_change_list(start=query.window.start, end=query.window.end)
    rows = list(changes[query.page.offset : query.page.offset + query.page.size + 1])
    headers = _next_link(request, query.page.number) if len(rows) > query.page.size else {}
    updates = [presenters.update(change) for change in rows[: query.page.size]]
    return Document("service_request_updates", updates, headers=headers)
