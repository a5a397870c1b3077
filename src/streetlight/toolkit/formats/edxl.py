"""EDXL-DE 1.0 (OASIS Distribution Element): the envelope that carries CAP alerts between agencies.

Many emergency-management hubs accept CAP only inside an EDXLDistribution, which adds routing
(sender, recipients, roles, keywords) around one or more alerts. We wrap, unwrap and validate;
the alerts themselves stay the CAP module's business.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from datetime import datetime

from lxml import etree

from .cap.document import SCHEMA_FILE as CAP_SCHEMA_FILE
from .cap.document import (
    XML_DECLARATION,
    element_path,
    packaged_schema,
    parse_xml,
    schema_problems,
    validate_root,
)
from .cap.model import CAP_NS, CapError, CapProblem, format_datetime

EDXL_NS = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
SCHEMA_FILE = "edxlde-1_0.xsd"
#: CAP's statuses without Draft: a draft is not distributed.
DISTRIBUTION_STATUSES = ("Actual", "Exercise", "System", "Test")
DISTRIBUTION_TYPES = (
    "Report",
    "Update",
    "Cancel",
    "Request",
    "Response",
    "Dispatch",
    "Ack",
    "Error",
    "SensorConfiguration",
    "SensorControl",
    "SensorStatus",
    "SensorDetection",
)
#: The value EDXL-DE 1.0 suggests for material anyone may read.
PUBLIC_CONFIDENTIALITY = "UNCLASSIFIED AND NOT SENSITIVE"

_Q = f"{{{EDXL_NS}}}"
_CAP_ALERT = f"{{{CAP_NS}}}alert"
_ROOT = "EDXLDistribution"
_REPEATED = frozenset(
    {"senderRole", "recipientRole", "keyword", "distributionReference", "explicitAddress", "targetArea"}
    | {"contentObject", "keyXMLContent", "embeddedXMLContent", "value", "explicitAddressValue"}
)
# EDXL-DE 1.0 §3.2.1: senderID is "in the form actor@domain-name".
_SENDER_ID = re.compile(r"[^@\s]+@[^@\s]+")


def _add(parent: etree._Element, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, _Q + name)
    element.text = text
    return element


def _value_lists(parent: etree._Element, name: str, pairs: Sequence[tuple[str, str]]) -> None:
    """One element per list URN, holding its values in the order given."""
    grouped: dict[str, list[str]] = {}
    for urn, value in pairs:
        grouped.setdefault(urn, []).append(value)
    for urn, values in grouped.items():
        element = etree.SubElement(parent, _Q + name)
        _add(element, "valueListUrn", urn)
        for value in values:
            _add(element, "value", value)


def _envelope_problems(distribution_id: str, sender_id: str, status: str, kind: str) -> Iterator[CapProblem]:
    if not distribution_id.strip():
        yield CapProblem(f"{_ROOT}.distributionID", "the distribution needs an identifier.")
    if not _SENDER_ID.fullmatch(sender_id):
        yield CapProblem(f"{_ROOT}.senderID", f"{sender_id!r} is not in the form actor@domain-name.")
    if status not in DISTRIBUTION_STATUSES:
        yield CapProblem(f"{_ROOT}.distributionStatus", f"{status!r} is not one of {', '.join(DISTRIBUTION_STATUSES)}.")
    if kind not in DISTRIBUTION_TYPES:
        yield CapProblem(f"{_ROOT}.distributionType", f"{kind!r} is not an EDXL-DE 1.0 distribution type.")


def _status_problem(path: str, alert: etree._Element, status: str) -> Iterator[CapProblem]:
    """An Actual alert in an Exercise envelope (or the reverse) is exactly the confusion to avoid."""
    cap_status = (alert.findtext(f"{{{CAP_NS}}}status") or "").strip()
    if cap_status != status:
        yield CapProblem(path, f"the alert's status {cap_status!r} differs from the distribution's {status!r}.")


def wrap_edxl_de(
    cap_documents: Sequence[bytes],
    *,
    distribution_id: str,
    sender_id: str,
    sent: datetime,
    status: str = "Actual",
    kind: str = "Report",
    recipients: Sequence[str] = (),
    keywords: Sequence[tuple[str, str]] = (),
    sender_role: Sequence[tuple[str, str]] = (),
    recipient_role: Sequence[tuple[str, str]] = (),
    address_scheme: str = "e-mail",
    confidentiality: str = PUBLIC_CONFIDENTIALITY,
) -> bytes:
    """An EDXLDistribution carrying each CAP document in its own contentObject.

    `keywords` and the roles are (valueListUrn, value) pairs; `recipients` are explicit addresses
    under `address_scheme`. Raises CapError, with paths such as "cap_documents[1].alert.status",
    for an invalid envelope, an invalid alert, or an alert whose status is not the distribution's."""
    problems = list(_envelope_problems(distribution_id, sender_id, status, kind))
    if sent.utcoffset() is None:
        problems.append(CapProblem(f"{_ROOT}.dateTimeSent", "the date and time needs a time zone offset."))
    if not cap_documents:
        problems.append(CapProblem(f"{_ROOT}.contentObject", "give at least one CAP document to distribute."))
    alerts = []
    cap_schema = packaged_schema(CAP_SCHEMA_FILE)
    for i, document in enumerate(cap_documents):
        prefix = f"cap_documents[{i}]."
        try:
            alert = parse_xml(document, "alert")
        except CapError as exc:
            problems += [CapProblem(prefix + p.path, p.message) for p in exc.problems]
            continue
        problems += validate_root(alert, cap_schema, prefix)
        problems += _status_problem(f"{prefix}alert.status", alert, status)
        alerts.append(alert)
    if problems:
        raise CapError(problems)

    try:
        root = etree.Element(_Q + _ROOT, nsmap={None: EDXL_NS})
        _add(root, "distributionID", distribution_id)
        _add(root, "senderID", sender_id)
        _add(root, "dateTimeSent", format_datetime(sent.replace(microsecond=0)))
        _add(root, "distributionStatus", status)
        _add(root, "distributionType", kind)
        _add(root, "combinedConfidentiality", confidentiality)
        _value_lists(root, "senderRole", sender_role)
        _value_lists(root, "recipientRole", recipient_role)
        _value_lists(root, "keyword", keywords)
        if recipients:
            address = etree.SubElement(root, _Q + "explicitAddress")
            _add(address, "explicitAddressScheme", address_scheme)
            for recipient in recipients:
                _add(address, "explicitAddressValue", recipient)
        for alert in alerts:
            content = etree.SubElement(root, _Q + "contentObject")
            embedded = etree.SubElement(etree.SubElement(content, _Q + "xmlContent"), _Q + "embeddedXMLContent")
            embedded.append(alert)
    except ValueError as exc:  # lxml refuses text XML cannot carry (a control character in a keyword…)
        raise CapError([CapProblem(_ROOT, f"the distribution cannot be written: {exc}.")]) from None
    etree.cleanup_namespaces(root)
    etree.indent(root)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def _root(data: bytes) -> etree._Element:
    root = parse_xml(data, _ROOT)
    if root.tag != _Q + _ROOT:
        found = etree.QName(root)
        raise CapError([CapProblem(_ROOT, f"the root is <{found.localname}>; expected <{_ROOT}> in {EDXL_NS!r}.")])
    return root


def _embedded_alerts(root: etree._Element) -> Iterator[etree._Element]:
    for embedded in root.iterfind(f"{_Q}contentObject/{_Q}xmlContent/{_Q}embeddedXMLContent"):
        yield from embedded.iterchildren(_CAP_ALERT)


def unwrap_edxl_de(data: bytes) -> list[bytes]:
    """The CAP alerts embedded in a distribution (xmlContent/embeddedXMLContent), each as a
    stand-alone UTF-8 document. Other embedded XML and non-XML content are not CAP and are skipped."""
    out = []
    for alert in _embedded_alerts(_root(data)):
        alone = copy.deepcopy(alert)
        etree.cleanup_namespaces(alone)
        out.append(XML_DECLARATION + etree.tostring(alone, encoding="UTF-8"))
    return out


def validate_edxl_de(data: bytes) -> list[CapProblem]:
    """The envelope against the EDXL-DE 1.0 XSD and its rules, then each embedded alert against CAP
    1.2 (XSD and rules), at paths like "EDXLDistribution.contentObject[0]…alert.sent"; [] if valid."""
    try:
        root = _root(data)
    except CapError as exc:
        return exc.problems
    problems = schema_problems(packaged_schema(SCHEMA_FILE), root, _ROOT, _REPEATED)
    reported = {p.path for p in problems}
    status = (root.findtext(_Q + "distributionStatus") or "").strip()
    kind = (root.findtext(_Q + "distributionType") or "").strip()
    envelope = _envelope_problems(
        root.findtext(_Q + "distributionID") or "", root.findtext(_Q + "senderID") or "", status, kind
    )
    problems += [p for p in envelope if p.path not in reported]
    alerts = list(_embedded_alerts(root))
    if not alerts:
        problems.append(CapProblem(f"{_ROOT}.contentObject", "the distribution carries no CAP alert."))
    cap_schema = packaged_schema(CAP_SCHEMA_FILE)
    for alert in alerts:
        prefix = element_path(alert.getparent(), _REPEATED) + "."
        # Validated as its own tree (deepcopy keeps line numbers) so the schema's paths start at <alert>.
        problems += validate_root(copy.deepcopy(alert), cap_schema, prefix)
        if status in DISTRIBUTION_STATUSES:
            problems += _status_problem(f"{prefix}alert.status", alert, status)
    return problems
