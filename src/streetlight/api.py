"""The versioned REST API: one NinjaAPI, routers owned by the apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from streetlight.alerts.api import router as alerts_router
from streetlight.control.api import router as control_router
from streetlight.core import api_errors
from streetlight.insight.api import router as open_data_router
from streetlight.reports.api import router as reports_router
from streetlight.reports.errors import IdempotencyConflict, ReportInvalid, ReportNotFound
from streetlight.reports.lifecycle import TransitionError

# Service field names, as the API documents spell them.
REPORT_FIELDS = {
    "lat": "location.lat",
    "lon": "location.lon",
    "precision_m": "location.precision_m",
    "area": "location.area",
    "address": "location.address",
    "location": "location.kind",
    "when": "when.kind",
    "occurred_from": "when.from",
    "occurred_to": "when.to",
    "safety_score": "feeling.safety_score",
    "unsafe_reasons": "feeling.reasons",
    "day_night": "feeling.day_night",
}

api = api_errors.ProblemDocumentedAPI(
    title="Streetlight API",
    version="1",
    description=(
        "Report crimes, incidents and feelings of insecurity, get guidance, and follow up. "
        "Errors are RFC 9457 problem details naming each bad field."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api_errors.install(api)
api.add_router("", reports_router)
api.add_router("/control", control_router)
api.add_router("/open-data", open_data_router)
api.add_router("", alerts_router)


@api.exception_handler(ReportInvalid)
def on_report_invalid(request: HttpRequest, exc: ReportInvalid) -> HttpResponse:
    return api_errors.ApiProblem(
        status=422,
        title=_("Some fields are not valid"),
        errors={REPORT_FIELDS.get(f, f): m for f, m in exc.errors.items()},
        type_="urn:streetlight:problem:invalid-fields",
    ).response()


@api.exception_handler(IdempotencyConflict)
def on_idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
    return api_errors.ApiProblem(
        status=409,
        title=_("This Idempotency-Key was already used for a different report."),
        errors={"Idempotency-Key": _("Use a new key for a new report.")},
    ).response()


@api.exception_handler(ReportNotFound)
def on_not_found(request: HttpRequest, exc: ReportNotFound) -> HttpResponse:
    return api_errors.ApiProblem(status=404, title=_("Not found")).response()


@api.exception_handler(TransitionError)
def on_transition(request: HttpRequest, exc: TransitionError) -> HttpResponse:
    return api_errors.ApiProblem(status=409, title=str(exc), errors={"status": str(exc)}).response()
