"""Schemathesis on the Open311 GeoReport v2 server. Open311 publishes no OpenAPI document we could
serve (the community Swagger draft misses most POST fields and declares them in the query), so this
one is written here from the spec's text: every resource in .json and .xml, its parameters, and the
JSON documents it answers with. Whatever the fuzzer sends, the answer is never a server error, its
status and content type are documented, and a JSON body matches its schema; an XML body parses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from lxml import etree

from streetlight.demo.seed import load_data
from streetlight.wsgi import application
from tests.fuzzing import EXCLUDED_CHECKS, SETTINGS, Tally, pick, positive, sendable_path, unthrottled

from .helpers import LOCAL_SCHEMAS, make_report

TALLY = Tally("/open311/v2")
# Open311 clients send blank parameters and repeat them; as the spec allows, the server reads a blank
# as absent and joins repeats with commas, a leniency no OpenAPI schema can state. So a "schema-
# violating" query may rightly succeed here; test_open311_robustness checks bad values are named.
CHECKS_LEFT_OUT = [*EXCLUDED_CHECKS, schemathesis.checks.negative_data_rejection]
DATETIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"}
TEXT = {"type": ["string", "null"]}
STATUS = {"enum": ["open", "closed"]}
SERVICE_FIELDS = {
    "service_code": {"type": "string", "minLength": 1},
    "service_name": {"type": "string", "minLength": 1},
    "description": TEXT,
    "metadata": {"type": "boolean"},
    "type": {"enum": ["realtime", "batch", "blackbox"]},
    "keywords": TEXT,
    "group": TEXT,
}
REQUEST_FIELDS = {
    "service_request_id": {"type": "string", "minLength": 1},
    "status": STATUS,
    "status_notes": TEXT,
    "service_name": {"type": "string"},
    "service_code": {"type": "string"},
    "description": TEXT,
    "agency_responsible": TEXT,
    "service_notice": TEXT,
    "requested_datetime": DATETIME,
    "updated_datetime": DATETIME,
    "expected_datetime": {"anyOf": [DATETIME, {"type": "null"}]},
    "address": TEXT,
    "address_id": TEXT,
    "zipcode": TEXT,
    "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
    "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
    "media_url": TEXT,
}


def _every(fields: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these fields, all present: the presenters always write every one."""
    return {"type": "object", "required": list(fields), "properties": fields, "additionalProperties": False}


DOCUMENTS = {
    "discovery": LOCAL_SCHEMAS["discovery"],
    "services": {"type": "array", "items": _every(SERVICE_FIELDS)},
    "service_definition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array"}},
    },
    "requests": {"type": "array", "items": _every(REQUEST_FIELDS)},
    "created": LOCAL_SCHEMAS["created"],
    "updates": LOCAL_SCHEMAS["updates"],
    "errors": LOCAL_SCHEMAS["errors"],
}
# Service codes clients may use (the public, non-sensitive ones), and anything else.
PUBLIC_CODES = sorted(
    child["code"]
    for parent in load_data("categories.json")
    for child in parent.get("children", [])
    if child.get("open311") and not (child.get("sensitive") or parent.get("sensitive"))
)
SERVICE_CODE = {"anyOf": [{"enum": PUBLIC_CODES}, {"type": "string", "maxLength": 70}]}


def _answer(document: str) -> dict[str, Any]:
    return {"application/json": {"schema": DOCUMENTS[document]}, "text/xml": {}}


def _responses(document: str, *errors: int) -> dict[str, Any]:
    """The document on success; errors in Open311's format. Every resource meets the public rate
    limit, and an unknown format is a 404."""
    responses = {"200": {"description": document, "content": _answer(document)}}
    for status in sorted({*errors, 404, 429}):
        responses[str(status)] = {"description": "errors", "content": _answer("errors")}
    return responses


def _query(*names: str) -> list[dict[str, Any]]:
    types = {
        "page": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        "page_size": {"type": "integer", "minimum": 1, "maximum": 200},
        "service_code": SERVICE_CODE,
        "status": {"enum": ["open", "closed", "open,closed"]},
    }
    return [{"name": n, "in": "query", "schema": types.get(n, {"type": "string"})} for n in names]


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


FORMAT = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
WINDOW = ("start_date", "end_date", "page", "page_size")
FORM = {
    "type": "object",
    "required": ["service_code"],
    "properties": {
        "service_code": SERVICE_CODE,
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "address_string": {"type": "string"},
        "address_id": {"type": "string"},
        "email": {"type": "string"},
        "device_id": {"type": "string"},
        "account_id": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "phone": {"type": "string"},
        "description": {"type": "string", "maxLength": 4000},
        "media_url": {"type": "string"},
        "jurisdiction_id": {"type": "string"},
        "locale": {"type": "string"},
    },
}
OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Streetlight Open311 GeoReport v2", "version": "2"},
    "paths": {
        "/open311/v2/discovery.{fmt}": {"get": {"parameters": [FORMAT], "responses": _responses("discovery")}},
        "/open311/v2/services.{fmt}": {
            "get": {"parameters": [FORMAT, *_query("jurisdiction_id", "locale")], "responses": _responses("services")}
        },
        "/open311/v2/services/{service_code}.{fmt}": {
            "get": {
                "parameters": [FORMAT, {**_path("service_code"), "schema": SERVICE_CODE}, *_query("locale")],
                "responses": _responses("service_definition"),
            }
        },
        "/open311/v2/requests.{fmt}": {
            "get": {
                "parameters": [FORMAT, *_query("service_request_id", "service_code", "status", "locale", *WINDOW)],
                "responses": _responses("requests", 400),
            },
            "post": {
                "parameters": [FORMAT],
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": FORM}}},
                "responses": _responses("created", 400, 403, 413),
            },
        },
        "/open311/v2/requests/{service_request_id}.{fmt}": {
            "get": {"parameters": [FORMAT, _path("service_request_id")], "responses": _responses("requests")}
        },
        "/open311/v2/tokens/{token}.{fmt}": {
            "get": {"parameters": [FORMAT, _path("token")], "responses": _responses("errors")}
        },
        "/open311/v2/servicerequestupdates.{fmt}": {
            "get": {"parameters": [FORMAT, *_query("api_key", *WINDOW)], "responses": _responses("updates", 400, 403)}
        },
    },
}
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.app = application
schema.hook("filter_path_parameters")(sendable_path)


@pytest.fixture(scope="module", autouse=True)
def _print_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    TALLY.report(request.config)


@pytest.fixture(autouse=True)
def _city(db: Any, settings: Any, city_point: tuple[float, float]) -> Iterator[None]:
    """Public requests to list, one of them from an Open311 client."""
    make_report(city_point)
    make_report(city_point, source="open311", description="The pavement is broken by the bus stop.")
    yield from unthrottled(settings)


def _plausible(case: schemathesis.Case, api_key: str, point: tuple[float, float]) -> None:
    """Every POST carries the client's api_key, so the fuzzer gets past it; a positive one also a
    public service, a place in the city and some words, which the spec leaves to each city."""
    if case.method != "POST" or not isinstance(case.body, dict):
        return
    case.body["api_key"] = api_key
    if positive(case):
        case.body.update(
            service_code=pick(case, PUBLIC_CODES),
            lat=str(point[0]),
            long=str(point[1]),
            description=case.body.get("description") or "Fuzzed.",
            email="",
            phone="",
        )


@schema.parametrize()
@SETTINGS
def test_open311_answers_as_documented(case: schemathesis.Case, api_key: str, city_point: tuple[float, float]) -> None:
    TALLY.case(case.operation.label)
    _plausible(case, api_key, city_point)
    response = case.call_and_validate(excluded_checks=CHECKS_LEFT_OUT)
    TALLY.answer(response.status_code)
    if response.headers.get("Content-Type", [""])[0].startswith("text/xml"):
        etree.fromstring(response.content)
