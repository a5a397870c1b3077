"""Checks shared by the Open311 tests: schema validation, XML against JSON, real report intake."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from jsonschema import Draft4Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.models import Report
from streetlight.reports.services import report_submit
from streetlight.toolkit.formats.open311 import parse_datetime

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

BASE = "/open311/v2/"
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "standards" / "open311" / "json-schema"

# The standard publishes no schema for these documents; these follow the spec's text.
LOCAL_SCHEMAS: dict[str, dict[str, Any]] = {
    "errors": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string", "minLength": 1}},
        },
    },
    "created": {
        "type": "array",
        "minItems": 1,
        "maxItems": 1,
        "items": {
            "type": "object",
            "required": ["service_request_id", "service_notice", "account_id"],
            "properties": {
                "service_request_id": {"type": "string", "minLength": 1},
                "service_notice": {"type": "string"},
                "account_id": {"type": "null"},
            },
            "not": {"required": ["token"]},
        },
    },
    "discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "endpoints": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "changeset", "type", "formats"],
                    "properties": {
                        "type": {"enum": ["production", "test"]},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    },
    # mySociety's service_request_update (Open311::Endpoint::Role::mySociety): all required strings.
    "updates": {
        "type": "array",
        "items": {
            "type": "object",
            "required": [
                "update_id",
                "service_request_id",
                "status",
                "updated_datetime",
                "description",
                "media_url",
            ],
            "properties": {
                "update_id": {"type": "string"},
                "service_request_id": {"type": "string"},
                "status": {"enum": ["open", "closed"]},
                "updated_datetime": {"type": "string"},
                "description": {"type": "string"},
                "media_url": {"type": "string"},
            },
            "additionalProperties": False,
        },
    },
}

DATETIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime", "changeset")
ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
ROOTS = {
    "discovery": ("discovery", None),
    "services": ("services", "service"),
    "service-definition": ("service_definition", None),
    "requests": ("service_requests", "request"),
    "created": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "updates": ("service_request_updates", "request_update"),
}


def _registry() -> Registry:
    if not SCHEMA_DIR.is_dir():
        pytest.skip("shared data not present: ../shared/standards/open311")
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


def validate(kind: str, data: Any) -> None:
    """Validate against the standard's JSON Schema (or ours where it has none), and check that
    every date-time is W3C with an offset, which the schema's `format` alone does not enforce."""
    if kind in LOCAL_SCHEMAS:
        schema = LOCAL_SCHEMAS[kind]
        registry = Registry()
    else:
        registry = _registry()
        schema = registry.contents(f"{kind}.json")
    Draft4Validator(schema, registry=registry).validate(data)
    for item in data if isinstance(data, list) else [data]:
        for name in DATETIME_FIELDS:
            if isinstance(item, dict) and item.get(name) is not None:
                assert isinstance(parse_datetime(item[name]), datetime)


def get(client: Client, path: str, fmt: str = "json", /, **params: Any) -> Response:
    return client.get(f"{BASE}{path}.{fmt}", params)


def post(client: Client, fmt: str = "json", /, **params: Any) -> Response:
    return client.post(f"{BASE}requests.{fmt}", params)


def document(response: Response, kind: str, status: int = 200) -> Any:
    """The JSON body, after checking status, content type and schema."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    validate(kind, data)
    return data


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compare(element: etree._Element, value: Any, where: str) -> None:
    if isinstance(value, dict):
        assert [child.tag for child in element] == list(value), where
        for child in element:
            _compare(child, value[child.tag], f"{where}/{child.tag}")
    elif isinstance(value, list):
        assert [child.tag for child in element] == [ITEMS[str(element.tag)]] * len(value), where
        for index, (child, item) in enumerate(zip(element, value, strict=True)):
            _compare(child, item, f"{where}[{index}]")
    elif isinstance(value, float):
        assert float(element.text or "nan") == value, where
    else:
        assert len(element) == 0, where
        assert (element.text or "") == _xml_text(value), where


def assert_xml_mirrors_json(xml_response: Response, json_data: Any, kind: str, status: int = 200) -> None:
    """Parse the XML with lxml and compare it, element by element, with the JSON of the same query."""
    assert xml_response.status_code == status, xml_response.content
    assert xml_response["Content-Type"] == "text/xml; charset=utf-8"
    assert xml_response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(xml_response.content)
    root_name, item_name = ROOTS[kind]
    assert root.tag == root_name
    if item_name is None:
        _compare(root, json_data, root_name)
        return
    assert [child.tag for child in root] == [item_name] * len(json_data)
    for index, (child, item) in enumerate(zip(root, json_data, strict=True)):
        _compare(child, item, f"{root_name}/{item_name}[{index}]")


def both(client: Client, path: str, kind: str, status: int = 200, /, **params: Any) -> Any:
    """GET a resource as JSON and as XML, check both, return the JSON data."""
    data = document(get(client, path, "json", **params), kind, status)
    assert_xml_mirrors_json(get(client, path, "xml", **params), data, kind, status)
    return data


def make_report(
    point: tuple[float, float],
    *,
    category: str = "public-space-streetlight",
    source: str = "web",
    description: str = "The street light at the corner is out.",
    public_statistics: bool = True,
) -> Report:
    """A report through the real intake, as another channel would store it."""
    consent = Consent(
        police=False,
        victim_support=False,
        social_services=False,
        city=True,
        contact=False,
        public_statistics=public_statistics,
    )
    draft = ReportDraft(
        category=category,
        consent=consent,
        description=description,
        location="point",
        lat=point[0],
        lon=point[1],
    )
    return report_submit(draft=draft, source=source).report
