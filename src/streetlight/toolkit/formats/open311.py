"""Open311 GeoReport v2 documents: one data structure, written and read as JSON or XML.

The spec defines the JSON form as a mechanical mapping of the XML one (the "Spark convention"):
a list is an element holding one child per item, a missing value is an empty element. Writing both
formats from the same plain data keeps them equal by construction; reading them back gives the
same data again, with identifiers as strings whether a server sent `123` or `"123"`.

Pure Python and lxml, so an Open311 client, a notebook or a test can use it without Django.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from .errors import FormatError

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Shape:
    """Where a document's data sits: the root element, and the item element for list documents."""

    root: str
    item: str | None = None


SHAPES: dict[str, Shape] = {
    "discovery": Shape("discovery"),
    "services": Shape("services", "service"),
    "service_definition": Shape("service_definition"),
    "service_requests": Shape("service_requests", "request"),
    "service_request_updates": Shape("service_request_updates", "request_update"),
    "errors": Shape("errors", "error"),
}

#: Nested lists and the element name of their items (Spark convention).
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}

_BOOL = {"true": True, "false": False}

#: Fields that are not strings, per document; everything else reads as a string (or None).
FIELD_TYPES: dict[str, dict[str, Callable[[str], Any]]] = {
    "services": {"metadata": lambda s: _BOOL[s.strip().lower()]},
    "service_definition": {
        "variable": lambda s: _BOOL[s.strip().lower()],
        "required": lambda s: _BOOL[s.strip().lower()],
        "order": int,
    },
    "service_requests": {"lat": float, "long": float},
    "errors": {"code": int},
}

#: Identifiers some servers send as numbers: read as strings so `6` and `"006"` stay what they are.
ID_FIELDS = frozenset(
    {"service_request_id", "service_code", "token", "account_id", "update_id", "address_id", "zipcode", "key"}
)

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; anything else makes lxml refuse the whole document.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311FormatError(FormatError):
    """A document that is not a well-formed Open311 document of the expected kind."""


def _shape(kind: str) -> Shape:
    try:
        return SHAPES[kind]
    except KeyError:
        raise Open311FormatError(f"unknown Open311 document kind {kind!r}") from None


def check_format(fmt: str) -> str:
    """Return the format if we write it (`json` or `xml`), else raise Open311FormatError."""
    if fmt not in CONTENT_TYPES:
        raise Open311FormatError(f"unknown Open311 format {fmt!r}: use json or xml")
    return fmt


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry, so one control character typed into a note never
    breaks a whole feed. Apply it to data before writing so JSON and XML stay equal."""
    return _NOT_XML.sub("", text)


def xml_text(value: Any) -> str:
    """A scalar as the text of its XML element: None is an empty element, booleans are lowercase."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return xml_safe(str(value))


def format_datetime(value: datetime) -> str:
    """W3C date-time with its offset and whole seconds, as the spec asks (2010-01-01T00:00:00Z)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Open311 date-times need a time zone")
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def parse_datetime(text: str) -> datetime:
    """Read a W3C date-time (2010-01-01T00:00:00Z or with a ±HH:MM offset).

    The offset is required: without it the moment is ambiguous, and the spec makes it a must."""
    value = text.strip()
    if not _W3C.fullmatch(value):
        raise ValueError("use a date and time with its time zone, like 2010-01-01T00:00:00Z")
    try:
        parsed = datetime.fromisoformat(value)
        parsed.astimezone(UTC)  # a moment that cannot be told in UTC is of no use to anyone
    except (ValueError, OverflowError):
        raise ValueError("this date or time does not exist") from None
    return parsed


# -- writing -------------------------------------------------------------------------------------


def _append(parent: etree._Element, name: str, value: Any) -> None:
    element = etree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, (list, tuple)):
        child = LIST_ITEMS.get(name)
        if child is None:
            raise Open311FormatError(f"no item element is defined for the list {name!r}")
        for item in value:
            _append(element, child, item)
    else:
        element.text = xml_text(value)


def to_xml(kind: str, data: Any) -> bytes:
    """The XML document for `data` (a list for list documents, a mapping otherwise)."""
    shape = _shape(kind)
    root = etree.Element(shape.root)
    if shape.item is None:
        if not isinstance(data, Mapping):
            raise Open311FormatError(f"a {kind} document holds one object")
        for key, value in data.items():
            _append(root, key, value)
    else:
        if not isinstance(data, (list, tuple)):
            raise Open311FormatError(f"a {kind} document holds a list")
        for item in data:
            _append(root, shape.item, item)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def to_json(kind: str, data: Any) -> bytes:
    """The JSON document: the same data, without the XML root (Spark convention)."""
    _shape(kind)
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise Open311FormatError(f"cannot write this {kind} document as JSON: {exc}") from None


def dumps(kind: str, data: Any, fmt: str) -> bytes:
    """Write an Open311 document of `kind` in `fmt` (json or xml)."""
    return to_xml(kind, data) if check_format(fmt) == "xml" else to_json(kind, data)


# -- reading -------------------------------------------------------------------------------------


def _children(element: etree._Element) -> list[etree._Element]:
    """Child elements only: comments and processing instructions carry no data."""
    return [child for child in element if isinstance(child.tag, str)]


def _read_element(element: etree._Element, types: Mapping[str, Callable[[str], Any]]) -> Any:
    name = str(element.tag)
    children = _children(element)
    if name in LIST_ITEMS:
        return [_read_element(child, types) for child in children]
    if children:
        return {str(child.tag): _read_element(child, types) for child in children}
    text = "".join(element.itertext()).strip()
    if not text:
        return None
    convert = types.get(name)
    if convert is None:
        return text
    try:
        return convert(text)
    except (KeyError, ValueError):
        raise Open311FormatError(f"<{name}> has a value that is not valid: {text!r}") from None


def from_xml(kind: str, body: bytes) -> Any:
    """Read an XML document into the data `to_xml` was given; empty elements read as None."""
    shape = _shape(kind)
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise Open311FormatError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        # Open311 documents have no DTD; refusing one closes the door on entity tricks (XXE, bombs).
        raise Open311FormatError("a document type declaration (DTD) is not allowed")
    if root.tag != shape.root:
        raise Open311FormatError(f"expected <{shape.root}>, found <{root.tag}>")
    types = FIELD_TYPES.get(kind, {})
    if shape.item is None:
        return {str(child.tag): _read_element(child, types) for child in _children(root)}
    items = []
    for child in _children(root):
        if child.tag != shape.item:
            raise Open311FormatError(f"expected <{shape.item}> in <{shape.root}>, found <{child.tag}>")
        items.append(_read_element(child, types) or {})
    return items


def _ids_as_strings(value: Any) -> Any:
    if isinstance(value, list):
        return [_ids_as_strings(item) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                str(item)
                if key in ID_FIELDS and isinstance(item, int) and not isinstance(item, bool)
                else _ids_as_strings(item)
            )
            for key, item in value.items()
        }
    return value


def from_json(kind: str, body: bytes | str) -> Any:
    """Read a JSON document; numeric identifiers become strings, as the XML form would give."""
    shape = _shape(kind)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Open311FormatError(f"not valid JSON: {exc}") from None
    expected = dict if shape.item is None else list
    if not isinstance(data, expected):
        raise Open311FormatError(f"a {kind} document holds {'an object' if expected is dict else 'a list'}")
    return _ids_as_strings(data)


def loads(kind: str, body: bytes, fmt: str) -> Any:
    """Read an Open311 document of `kind` in `fmt` (json or xml)."""
    return from_xml(kind, body) if check_format(fmt) == "xml" else from_json(kind, body)
