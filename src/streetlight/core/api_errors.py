"""Turn every API failure into RFC 9457 problem details that name the bad field."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from pydantic import ValidationError as PydanticValidationError

from .problems import PROBLEM_CONTENT_TYPE, problem

logger = logging.getLogger("streetlight.api")

SOURCES = frozenset({"body", "query", "header", "form", "path", "file", "cookie"})

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each bad field.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "detail"],
                "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
}
PROBLEM_STATUSES = {
    400: "The request cannot be read: malformed JSON, header or parameter",
    401: "The token is missing or unknown, or you are not signed in",
    403: "Not allowed for you, or the CSRF check of a signed-in session failed",
    404: "Not found",
    409: "Conflicts with an earlier request or with the report's state",
    422: "Some fields are not valid",
    429: "Too many requests from this connection (see Retry-After)",
}


class ApiProblem(Exception):
    """Raise from a handler to answer with a problem document."""

    def __init__(
        self,
        *,
        status: int,
        title: str,
        detail: str = "",
        errors: Mapping[str, str] | None = None,
        headers: dict[str, str] | None = None,
        type_: str = "about:blank",
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.errors = dict(errors or {})
        self.headers = headers or {}
        self.type_ = type_

    def response(self) -> HttpResponse:
        return problem(
            status=self.status,
            title=self.title,
            detail=self.detail,
            type_=self.type_,
            errors=[{"field": f, "detail": m} for f, m in self.errors.items()],
            headers=self.headers,
        )


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not allowed here.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Must be true or false.")
    if kind in {"float_type", "int_type", "float_parsing", "int_parsing"}:
        return _("Must be a number.")
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return _("Must be a date and time in ISO 8601, like 2026-05-01T21:30:00+02:00.")
    if kind == "string_too_long":
        return _("Too long: at most %(n)s characters.") % {"n": error.get("ctx", {}).get("max_length", "?")}
    if kind == "literal_error":
        return _("Must be one of: %(values)s.") % {"values": error.get("ctx", {}).get("expected", "")}
    if kind == "json_invalid":
        return _("Not valid JSON.")
    return str(error.get("msg", _("Invalid value.")))


def _field(loc: Iterable[Any], prefix: str = "") -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "body":
            parts.pop(0)
    path = ".".join(parts)
    return f"{prefix}.{path}" if prefix and path else (prefix or path or "body")


def errors_from(raw: Iterable[Mapping[str, Any]], prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in raw:
        errors.setdefault(_field(error.get("loc", ()), prefix), _message(error))
    return errors


def pydantic_problem(exc: PydanticValidationError, *, prefix: str) -> ApiProblem:
    return ApiProblem(
        status=422,
        title=_("Some fields are not valid"),
        errors=errors_from(exc.errors(), prefix),
        type_="urn:streetlight:problem:invalid-fields",
    )


def _problem_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """What an operation may answer besides its own responses, from what it takes: every public
    request can meet the rate limit; parameters and bodies can be malformed or invalid; a path can
    name nothing; a credential can be wrong or not enough; a write can conflict."""
    parameters = operation.get("parameters") or []
    statuses = {429}
    if parameters or "requestBody" in operation:
        statuses |= {400, 422}
    if "security" in operation:
        statuses |= {401, 403}
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.add(404)
    if method == "post":
        statuses.add(409)
    return sorted(statuses)


def problem_responses(*statuses: int) -> dict[str, Any]:
    """`openapi_extra` for an operation that answers a problem the rules above cannot foresee, such
    as a 404 for a resource named in the query."""
    content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {"responses": {s: {"description": PROBLEM_STATUSES[s], "content": content} for s in statuses}}


class ProblemDocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the problem documents each operation may answer with.
    Handlers raise them (ApiProblem, validation, auth), so ninja cannot see them; without them,
    clients and the schema-driven fuzzer would take every error for an undocumented answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"]["Problem"] = PROBLEM_SCHEMA
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                for status, response in problem_responses(*_problem_statuses(method, operation))["responses"].items():
                    operation["responses"].setdefault(status, response)
        return schema


def install(api: NinjaAPI) -> None:
    """Register the handlers on a NinjaAPI instance."""

    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return exc.response()

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return ApiProblem(
            status=422,
            title=_("Some fields are not valid"),
            errors=errors_from(exc.errors),
            type_="urn:streetlight:problem:invalid-fields",
        ).response()

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(status=401, title=_("The token is missing or unknown."), headers={"WWW-Authenticate": "Bearer"})

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        title = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return problem(status=exc.status_code, title=title)

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(status=404, title=_("Not found"))

    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error on %s", request.path)
        return problem(status=500, title=_("Something went wrong on our side. Your data was not stored."))

    api.add_exception_handler(ApiProblem, on_problem)  # type: ignore[arg-type]
    api.add_exception_handler(NinjaValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_auth)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_404)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_error)  # type: ignore[arg-type]
