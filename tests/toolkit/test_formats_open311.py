"""Open311 documents: XML and JSON written from the same data, read back to the same data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from streetlight.toolkit.formats import FormatError
from streetlight.toolkit.formats.open311 import (
    CONTENT_TYPES,
    Open311FormatError,
    dumps,
    format_datetime,
    from_json,
    from_xml,
    loads,
    parse_datetime,
    to_xml,
    xml_safe,
)

SERVICE = {
    "service_code": "public-space-streetlight",
    "service_name": "Street light out",
    "description": None,
    "metadata": False,
    "type": "realtime",
    "keywords": "lamp, light",
    "group": "Public space",
}

REQUEST = {
    "service_request_id": "SL-0A1B2C3D",
    "status": "open",
    "status_notes": None,
    "service_name": "Street light out",
    "service_code": "public-space-streetlight",
    "description": "Dark since Monday.\nThe whole street.",
    "requested_datetime": "2026-05-01T10:00:00+02:00",
    "lat": 45.0703,
    "long": 7.6869,
    "media_url": None,
}

DISCOVERY = {
    "changeset": "2026-11-01T00:00:00Z",
    "contact": "Ask the city.",
    "key_service": "Ask the city for a key.",
    "endpoints": [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "https://example.org/open311/v2/",
            "changeset": "2026-11-01T00:00:00Z",
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ],
}


def test_services_xml_has_one_service_element_per_item() -> None:
    root = etree.fromstring(to_xml("services", [SERVICE, SERVICE]))
    assert root.tag == "services"
    assert [child.tag for child in root] == ["service", "service"]
    service = root[0]
    assert [child.tag for child in service] == list(SERVICE)
    assert service.findtext("metadata") == "false"
    assert service.find("description") is not None and service.findtext("description") == ""


def test_xml_starts_with_the_declaration_the_spec_asks_for() -> None:
    assert to_xml("services", []).startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_nested_lists_use_singular_item_elements() -> None:
    root = etree.fromstring(to_xml("discovery", DISCOVERY))
    assert root.tag == "discovery"
    assert [e.text for e in root.iterfind("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_service_definition_with_no_attributes_is_an_empty_list() -> None:
    body = to_xml("service_definition", {"service_code": "x", "attributes": []})
    assert from_xml("service_definition", body) == {"service_code": "x", "attributes": []}


@pytest.mark.parametrize("kind,data", [("services", [SERVICE]), ("discovery", DISCOVERY)])
def test_json_and_xml_read_back_to_the_same_data(kind: str, data: Any) -> None:
    assert loads(kind, dumps(kind, data, "json"), "json") == data
    assert loads(kind, dumps(kind, data, "xml"), "xml") == data


def test_request_numbers_and_text_survive_xml() -> None:
    back = from_xml("service_requests", to_xml("service_requests", [REQUEST]))
    assert back == [REQUEST]
    assert isinstance(back[0]["lat"], float)


def test_numeric_ids_in_json_read_as_strings() -> None:
    """The spec's own example sends ids as numbers; the schema wants strings: accept both."""
    body = b'[{"service_request_id": 638344, "service_code": 6, "lat": 37.76, "token": "12"}]'
    assert from_json("service_requests", body) == [
        {"service_request_id": "638344", "service_code": "6", "lat": 37.76, "token": "12"}
    ]


def test_error_codes_read_as_numbers_from_xml() -> None:
    body = b"<errors><error><code>403</code><description>Invalid api_key</description></error></errors>"
    assert from_xml("errors", body) == [{"code": 403, "description": "Invalid api_key"}]


def test_pretty_printed_xml_reads_without_its_indentation() -> None:
    body = (
        b"<service_requests>\n  <request>\n    <service_request_id> 293944 </service_request_id>\n"
        b"  </request>\n</service_requests>"
    )
    assert from_xml("service_requests", body) == [{"service_request_id": "293944"}]


def test_unknown_format_and_kind_are_refused() -> None:
    with pytest.raises(Open311FormatError, match="format"):
        dumps("services", [], "yaml")
    with pytest.raises(Open311FormatError, match="kind"):
        dumps("things", [], "json")


def test_format_error_is_a_value_error() -> None:
    assert issubclass(Open311FormatError, FormatError) and issubclass(Open311FormatError, ValueError)


@pytest.mark.parametrize(
    "kind,data",
    [("services", {"service_code": "x"}), ("discovery", []), ("services", [{"values": {"a": 1}, "x": [1]}])],
)
def test_data_of_the_wrong_shape_is_refused(kind: str, data: Any) -> None:
    with pytest.raises(Open311FormatError):
        to_xml(kind, data)


def test_wrong_root_element_is_refused() -> None:
    with pytest.raises(Open311FormatError, match="expected <services>"):
        from_xml("services", b"<service_requests/>")


def test_foreign_item_element_is_refused() -> None:
    with pytest.raises(Open311FormatError, match="expected <service>"):
        from_xml("services", b"<services><request/></services>")


def test_broken_xml_and_json_are_refused() -> None:
    with pytest.raises(Open311FormatError, match="XML"):
        from_xml("services", b"<services><service>")
    with pytest.raises(Open311FormatError, match="JSON"):
        from_json("services", b"[{")
    with pytest.raises(Open311FormatError, match="list"):
        from_json("services", b"{}")


def test_bad_typed_value_names_its_element() -> None:
    with pytest.raises(Open311FormatError, match="<metadata>"):
        from_xml("services", b"<services><service><metadata>maybe</metadata></service></services>")


def test_documents_with_a_dtd_are_refused() -> None:
    """No entity is ever expanded: neither a local file (XXE) nor a billion laughs."""
    body = (
        b'<?xml version="1.0"?><!DOCTYPE errors [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b"<errors><error><description>&x;</description></error></errors>"
    )
    with pytest.raises(Open311FormatError, match="DTD"):
        from_xml("errors", body)


def test_comments_are_not_data() -> None:
    body = b"<errors><!-- note --><error><code>4<!-- x -->04</code></error></errors>"
    assert from_xml("errors", body) == [{"code": 404}]


def test_control_characters_are_dropped_not_fatal() -> None:
    data = [{"service_code": "x", "service_name": "bell\x07 and nul\x00"}]
    root = etree.fromstring(to_xml("services", data))
    assert root.findtext("service/service_name") == "bell and nul"
    assert xml_safe("tab\tnewline\nok") == "tab\tnewline\nok"


def test_json_content_type_and_utf8() -> None:
    assert CONTENT_TYPES == {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
    assert dumps("services", [{"service_name": "Sécurité"}], "json") == '[{"service_name": "Sécurité"}]'.encode()


def test_nan_is_refused_rather_than_written_as_invalid_json() -> None:
    with pytest.raises(Open311FormatError):
        dumps("service_requests", [{"lat": float("nan")}], "json")


def test_format_datetime_keeps_the_offset_and_drops_microseconds() -> None:
    rome = timezone(timedelta(hours=2))
    assert format_datetime(datetime(2026, 5, 1, 10, 0, 0, 123456, tzinfo=rome)) == "2026-05-01T10:00:00+02:00"
    assert format_datetime(datetime(2026, 5, 1, 8, 0, tzinfo=UTC)) == "2026-05-01T08:00:00Z"
    with pytest.raises(ValueError, match="time zone"):
        format_datetime(datetime(2026, 5, 1, 8, 0))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2010-01-01T01:00:00+01:00", datetime(2010, 1, 1, tzinfo=UTC)),
        ("1994-11-05T08:15:30-05:00", datetime(1994, 11, 5, 13, 15, 30, tzinfo=UTC)),
        ("2010-01-01T00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2010-01-01T00:00:00.5Z", datetime(2010, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_parse_datetime_reads_w3c_forms(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2010-01-01T00:00:00",
        "2010-01-01",
        "yesterday",
        "2010-02-30T00:00:00Z",
        "2010-01-01T00:00:00+24:00",
        "",
    ],
)
def test_parse_datetime_refuses_ambiguous_or_impossible_moments(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


@given(st.lists(st.fixed_dictionaries({"service_code": st.text(min_size=1), "service_name": st.text()})))
def test_any_text_survives_both_formats(items: list[dict[str, str]]) -> None:
    """What the XML reader gives back is the writer's text made XML-safe, without surrounding space;
    empty text reads as None, as in the spec's examples."""
    expected = [{k: (xml_safe(v).strip() or None) for k, v in item.items()} for item in items]
    assert from_xml("services", to_xml("services", items)) == expected
    assert from_json("services", to_json_bytes(items)) == items


def to_json_bytes(items: list[dict[str, str]]) -> bytes:
    return dumps("services", items, "json")
