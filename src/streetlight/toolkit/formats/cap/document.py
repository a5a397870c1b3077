"""CAP 1.2 documents: write the dataclasses as XML, read them back, validate received documents.

Parsing never resolves entities, never touches the network and refuses any DOCTYPE: alerts come
from outside, and a CAP document has no use for a DTD (XXE, billion-laughs).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

from lxml import etree

from .model import (
    CAP_NS,
    DEFAULT_LANGUAGE,
    CapAlert,
    CapArea,
    CapError,
    CapInfo,
    CapProblem,
    CapReference,
    CapResource,
    format_datetime,
    format_number,
    format_references,
    join_list,
    parse_datetime,
    parse_number,
    split_list,
)
from .rules import cap_problems, rule_problems

SCHEMA_FILE = "CAP-v1.2.xsd"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_Q = f"{{{CAP_NS}}}"
#: Elements that may repeat: their paths always carry an index ("alert.info[0]").
_REPEATED = frozenset(
    {"code", "info", "category", "responseType", "eventCode", "parameter", "resource", "area", "polygon", "circle"}
    | {"geocode"}
)
_T = TypeVar("_T")
_THREAD = threading.local()
#: "{urn:…}sent" in the schema's messages: the namespace is noise to a reader.
_NAMESPACE = re.compile(r"\{(?:urn|https?):[^{}]*\}")


# -- parsing and schemas (shared with edxl.py) ------------------------------------------------------


def safe_parser() -> etree.XMLParser:
    """No entities, no network, no DTD loading, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )


def parse_xml(data: bytes, root_path: str) -> etree._Element:
    """The root element of `data`, or CapError at `root_path` for malformed XML or a DOCTYPE."""
    if not isinstance(data, bytes):
        raise CapError([CapProblem(root_path, "the document must be given as bytes (its encoding is inside it).")])
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        raise CapError([CapProblem(root_path, f"line {line}: not well-formed XML ({exc.msg}).")]) from None
    if root is None:
        raise CapError([CapProblem(root_path, "the document is empty.")])
    if root.getroottree().docinfo.doctype:
        raise CapError([CapProblem(root_path, "documents with a DOCTYPE are refused: CAP needs no DTD or entities.")])
    return root


@functools.cache
def _schema_bytes(name: str) -> bytes:
    return resources.files("streetlight.toolkit.formats").joinpath("schemas", name).read_bytes()


def _compiled(key: str, load: Callable[[], etree._Element | etree._ElementTree]) -> etree.XMLSchema:
    """Compiled once per thread: an XMLSchema keeps its error log on itself, so two threads
    validating with the same object (a threaded web server) would mix up their errors."""
    cache: dict[str, etree.XMLSchema] = _THREAD.__dict__.setdefault("schemas", {})
    if key not in cache:
        cache[key] = etree.XMLSchema(load())
    return cache[key]


def packaged_schema(name: str) -> etree.XMLSchema:
    """A schema shipped in formats/schemas/ (CAP-v1.2.xsd, edxlde-1_0.xsd)."""
    return _compiled(f"packaged:{name}", lambda: etree.fromstring(_schema_bytes(name), safe_parser()))


def _schema_at(path: Path) -> etree.XMLSchema:
    return _compiled(f"file:{path.resolve()}", lambda: etree.parse(str(path), safe_parser()))


def element_path(element: etree._Element, repeated: frozenset[str] = _REPEATED) -> str:
    """The path of an element, like "alert.info[1].area[0]": local names, 0-based indexes on the `repeated` ones."""
    parts: list[str] = []
    node: etree._Element | None = element
    while node is not None and isinstance(node.tag, str):
        name = etree.QName(node).localname
        parent = node.getparent()
        if name in repeated and parent is not None:
            siblings = [s for s in parent if isinstance(s.tag, str) and etree.QName(s).localname == name]
            name = f"{name}[{siblings.index(node)}]"
        parts.append(name)
        node = parent
    return ".".join(reversed(parts))


def schema_problems(
    schema: etree.XMLSchema, root: etree._Element, fallback: str, repeated: frozenset[str] = _REPEATED
) -> list[CapProblem]:
    """The schema's complaints about `root`'s tree, each at the path of the element it names."""
    if schema.validate(root):
        return []
    problems = []
    for entry in schema.error_log:
        found = root.getroottree().xpath(entry.path) if entry.path else []
        path = element_path(found[0], repeated) if isinstance(found, list) and found else fallback
        message = _NAMESPACE.sub("", entry.message).rstrip(".")
        problems.append(CapProblem(path, f"line {entry.line}: {message}."))
    return problems


# -- writing ---------------------------------------------------------------------------------------


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, _Q + name).text = text


def _add_pairs(parent: etree._Element, name: str, pairs: tuple[tuple[str, str], ...]) -> None:
    for value_name, value in pairs:
        element = etree.SubElement(parent, _Q + name)
        _add(element, "valueName", value_name)
        _add(element, "value", value)


def _write_info(parent: etree._Element, info: CapInfo) -> None:
    element = etree.SubElement(parent, _Q + "info")
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category)
    _add(element, "event", info.event)
    for response in info.response_types:
        _add(element, "responseType", response)
    for name, value in (("urgency", info.urgency), ("severity", info.severity), ("certainty", info.certainty)):
        _add(element, name, value)
    _add(element, "audience", info.audience)
    _add_pairs(element, "eventCode", info.event_codes)
    for name, moment in (("effective", info.effective), ("onset", info.onset), ("expires", info.expires)):
        _add(element, name, None if moment is None else format_datetime(moment))
    for name, text in (
        ("senderName", info.sender_name),
        ("headline", info.headline),
        ("description", info.description),
        ("instruction", info.instruction),
        ("web", info.web),
        ("contact", info.contact),
    ):
        _add(element, name, text)
    _add_pairs(element, "parameter", info.parameters)
    for res in info.resources:
        resource = etree.SubElement(element, _Q + "resource")
        _add(resource, "resourceDesc", res.description)
        _add(resource, "mimeType", res.mime_type)
        _add(resource, "size", None if res.size is None else str(res.size))
        _add(resource, "uri", res.uri)
        _add(resource, "derefUri", res.deref_uri)
        _add(resource, "digest", res.digest)
    for area in info.areas:
        where = etree.SubElement(element, _Q + "area")
        _add(where, "areaDesc", area.description)
        for ring in area.polygons:
            _add(where, "polygon", " ".join(f"{format_number(lat)},{format_number(lon)}" for lat, lon in ring))
        for lat, lon, radius in area.circles:
            _add(where, "circle", f"{format_number(lat)},{format_number(lon)} {format_number(radius)}")
        _add_pairs(where, "geocode", area.geocodes)
        _add(where, "altitude", None if area.altitude is None else format_number(area.altitude))
        _add(where, "ceiling", None if area.ceiling is None else format_number(area.ceiling))


def write_cap(alert: CapAlert) -> bytes:
    """The alert as a UTF-8 CAP 1.2 document, elements in the XSD's order.

    Raises CapError when cap_problems finds anything: we never send an alert that a receiver would
    refuse or misread."""
    problems = cap_problems(alert)
    if problems:
        raise CapError(problems)
    root = etree.Element(_Q + "alert", nsmap={None: CAP_NS})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", format_datetime(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", join_list(alert.addresses) if alert.addresses else None)
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", format_references(alert.references) if alert.references else None)
    _add(root, "incidents", join_list(alert.incidents) if alert.incidents else None)
    for info in alert.infos:
        _write_info(root, info)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


# -- reading ---------------------------------------------------------------------------------------


class _Reader:
    """Collects every problem of a document before giving up, so one CapError names them all."""

    def __init__(self) -> None:
        self.problems: list[CapProblem] = []

    def children(self, element: etree._Element, name: str) -> list[etree._Element]:
        return element.findall(_Q + name)

    def text(self, element: etree._Element, name: str, path: str, *, required: bool = False) -> str | None:
        child = element.find(_Q + name)
        if child is None:
            if required:
                self.problems.append(CapProblem(f"{path}.{name}", f"the required element <{name}> is missing."))
            return None
        return child.text or ""

    def convert(self, path: str, text: str | None, parse: Callable[[str], _T], what: str) -> _T | None:
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.problems.append(CapProblem(path, f"{what}: {exc}." if what else f"{exc}."))
            return None

    def pairs(self, element: etree._Element, name: str, path: str) -> tuple[tuple[str, str], ...]:
        out = []
        for k, child in enumerate(self.children(element, name)):
            value_name = self.text(child, "valueName", f"{path}.{name}[{k}]", required=True)
            value = self.text(child, "value", f"{path}.{name}[{k}]", required=True)
            out.append((value_name or "", value or ""))
        return tuple(out)


def _polygon(text: str) -> tuple[tuple[float, float], ...]:
    points = []
    for pair in text.split():
        lat, sep, lon = pair.partition(",")
        if not sep:
            raise ValueError(f"{pair!r} is not a 'lat,lon' pair")
        points.append((parse_number(lat), parse_number(lon)))
    return tuple(points)


def _circle(text: str) -> tuple[float, float, float]:
    parts = text.split()
    if len(parts) != 2 or "," not in parts[0]:
        raise ValueError(f"{text.strip()!r} is not 'lat,lon radius_km'")
    lat, _, lon = parts[0].partition(",")
    return parse_number(lat), parse_number(lon), parse_number(parts[1])


def _references(text: str) -> tuple[CapReference, ...]:
    out = []
    for k, item in enumerate(text.split()):
        parts = item.split(",")
        if len(parts) != 3:
            raise ValueError(f"entry {k} ({item!r}) is not 'sender,identifier,sent'")
        out.append(CapReference(parts[0], parts[1], parse_datetime(parts[2])))
    return tuple(out)


def _read_info(r: _Reader, element: etree._Element, at: str) -> CapInfo:
    moments = {
        name: r.convert(f"{at}.{name}", r.text(element, name, at), parse_datetime, "")
        for name in ("effective", "onset", "expires")
    }
    if not r.children(element, "category"):
        r.problems.append(CapProblem(f"{at}.category", "the required element <category> is missing."))
    resources = []
    for k, res in enumerate(r.children(element, "resource")):
        where = f"{at}.resource[{k}]"
        size = r.text(res, "size", where)
        resources.append(
            CapResource(
                description=r.text(res, "resourceDesc", where, required=True) or "",
                mime_type=r.text(res, "mimeType", where, required=True) or "",
                size=r.convert(f"{where}.size", None if size is None else size.strip(), int, "not a whole number"),
                uri=r.text(res, "uri", where),
                digest=r.text(res, "digest", where),
                deref_uri=r.text(res, "derefUri", where),
            )
        )
    areas = []
    for k, area in enumerate(r.children(element, "area")):
        where = f"{at}.area[{k}]"
        polygons = [
            r.convert(f"{where}.polygon[{n}]", p.text or "", _polygon, "not a list of 'lat,lon' pairs")
            for n, p in enumerate(r.children(area, "polygon"))
        ]
        circles = [
            r.convert(f"{where}.circle[{n}]", c.text or "", _circle, "not a circle")
            for n, c in enumerate(r.children(area, "circle"))
        ]
        heights = {
            name: r.convert(f"{where}.{name}", r.text(area, name, where), parse_number, "not a number")
            for name in ("altitude", "ceiling")
        }
        areas.append(
            CapArea(
                description=r.text(area, "areaDesc", where, required=True) or "",
                polygons=tuple(p for p in polygons if p is not None),
                circles=tuple(c for c in circles if c is not None),
                geocodes=r.pairs(area, "geocode", where),
                altitude=heights["altitude"],
                ceiling=heights["ceiling"],
            )
        )
    language = r.text(element, "language", at)
    return CapInfo(
        language=DEFAULT_LANGUAGE if language is None else language.strip(),
        categories=tuple((c.text or "").strip() for c in r.children(element, "category")),
        event=r.text(element, "event", at, required=True) or "",
        urgency=(r.text(element, "urgency", at, required=True) or "").strip(),
        severity=(r.text(element, "severity", at, required=True) or "").strip(),
        certainty=(r.text(element, "certainty", at, required=True) or "").strip(),
        response_types=tuple((c.text or "").strip() for c in r.children(element, "responseType")),
        audience=r.text(element, "audience", at),
        event_codes=r.pairs(element, "eventCode", at),
        effective=moments["effective"],
        onset=moments["onset"],
        expires=moments["expires"],
        sender_name=r.text(element, "senderName", at),
        headline=r.text(element, "headline", at),
        description=r.text(element, "description", at),
        instruction=r.text(element, "instruction", at),
        web=r.text(element, "web", at),
        contact=r.text(element, "contact", at),
        parameters=r.pairs(element, "parameter", at),
        resources=tuple(resources),
        areas=tuple(areas),
    )


def _strip(text: str | None) -> str:
    return (text or "").strip()


def read_root(root: etree._Element) -> CapAlert:
    """The alert in an already parsed <alert> element (validate_cap and unwrap share the parse)."""
    if root.tag != _Q + "alert":
        found = etree.QName(root)
        where = f" in namespace {found.namespace!r}" if found.namespace else " without a namespace"
        raise CapError(
            [CapProblem("alert", f"the root is <{found.localname}>{where}; expected <alert> in {CAP_NS!r}.")]
        )
    r = _Reader()
    sent = r.convert("alert.sent", r.text(root, "sent", "alert", required=True), parse_datetime, "")
    addresses = r.text(root, "addresses", "alert")
    references = r.text(root, "references", "alert")
    incidents = r.text(root, "incidents", "alert")
    infos = [_read_info(r, info, f"alert.info[{i}]") for i, info in enumerate(r.children(root, "info"))]
    alert = CapAlert(
        identifier=_strip(r.text(root, "identifier", "alert", required=True)),
        sender=_strip(r.text(root, "sender", "alert", required=True)),
        sent=sent,  # type: ignore[arg-type]  # None only when a problem is recorded, and then we raise
        status=_strip(r.text(root, "status", "alert", required=True)),
        msg_type=_strip(r.text(root, "msgType", "alert", required=True)),
        scope=_strip(r.text(root, "scope", "alert", required=True)),
        source=r.text(root, "source", "alert"),
        restriction=r.text(root, "restriction", "alert"),
        addresses=split_list(addresses) if addresses is not None else (),
        codes=tuple(c.text or "" for c in r.children(root, "code")),
        note=r.text(root, "note", "alert"),
        references=r.convert("alert.references", references, _references, "") or (),
        incidents=split_list(incidents) if incidents is not None else (),
        infos=tuple(infos),
    )
    if r.problems:
        raise CapError(r.problems)
    return alert


def read_cap(data: bytes) -> CapAlert:
    """Read a CAP 1.2 document. Raises CapError naming each missing element or unreadable value.

    Reading is lenient about what it can represent faithfully (enumeration values, "Z" offsets):
    run validate_cap first to judge a document."""
    return read_root(parse_xml(data, "alert"))


# -- validating ------------------------------------------------------------------------------------

_MOMENTS = ("sent", "effective", "onset", "expires")


def _plus_zero(root: etree._Element) -> Iterator[CapProblem]:
    """CAP 1.2 §3.3.2: "The timezone for UTC MUST be represented as -00:00" (the XSD accepts +00:00)."""
    for element in root.iter(*(_Q + name for name in _MOMENTS)):
        if (element.text or "").strip().endswith("+00:00"):
            yield CapProblem(element_path(element), "CAP writes UTC as -00:00, not +00:00 (CAP 1.2 §3.3.2).")
    references = root.find(_Q + "references")
    if references is not None and "+00:00" in (references.text or ""):
        yield CapProblem("alert.references", "CAP writes UTC as -00:00, not +00:00 (CAP 1.2 §3.3.2).")


def validate_root(root: etree._Element, schema: etree.XMLSchema, prefix: str = "") -> list[CapProblem]:
    """The XSD's complaints, then the rules beyond it; paths carry `prefix` (for embedded alerts)."""
    problems = schema_problems(schema, root, "alert")
    reported = {p.path for p in problems}
    try:
        alert = read_root(root)
    except CapError as exc:
        problems += [p for p in exc.problems if p.path not in reported]
    else:
        problems += [p for p in rule_problems(alert) if p.path not in reported]
        problems += [p for p in _plus_zero(root) if p.path not in reported]
    return [CapProblem(prefix + p.path, p.message) for p in problems]


def validate_cap(data: bytes, *, schema_path: Path | None = None) -> list[CapProblem]:
    """Every problem of a CAP document: the XSD's (with line numbers) and the rules it cannot
    check (see rules.py); [] when valid. `schema_path` picks another copy of the XSD."""
    try:
        root = parse_xml(data, "alert")
    except CapError as exc:
        return exc.problems
    schema = packaged_schema(SCHEMA_FILE) if schema_path is None else _schema_at(Path(schema_path))
    return validate_root(root, schema)
