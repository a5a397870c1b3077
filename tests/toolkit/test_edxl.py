"""EDXL-DE 1.0: wrapping CAP alerts, unwrapping them, validating distributions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from streetlight.toolkit.formats.cap import CapError, read_cap
from streetlight.toolkit.formats.edxl import EDXL_NS, unwrap_edxl_de, validate_edxl_de, wrap_edxl_de

SHARED = Path("/work/shared/standards")
if not SHARED.is_dir():
    SHARED = Path(__file__).resolve().parents[3] / "shared" / "standards"
EXAMPLES = sorted((SHARED / "cap").glob("example-*.xml"))
SENT = datetime(2026, 11, 24, 8, 0, tzinfo=timezone(timedelta(hours=1)))
E = f"{{{EDXL_NS}}}"

pytestmark = pytest.mark.skipif(not EXAMPLES, reason="shared/standards is not available")


def xsd(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def documents() -> list[bytes]:
    return [p.read_bytes() for p in EXAMPLES]


def wrap(docs: list[bytes] | None = None, **changes: object) -> bytes:
    arguments: dict[str, object] = {
        "distribution_id": "portavera-d-1",
        "sender_id": "ops@portavera.example",
        "sent": SENT,
    }
    arguments.update(changes)
    return wrap_edxl_de(documents() if docs is None else docs, **arguments)  # type: ignore[arg-type]


def exercise(doc: bytes) -> bytes:
    return doc.replace(b"<status>Actual</status>", b"<status>Exercise</status>")


def test_wrapped_examples_validate_against_both_schemas() -> None:
    data = wrap()
    root = etree.fromstring(data)
    assert xsd(SHARED / "edxl-de" / "edxlde-1_0.xsd").validate(root)
    cap = xsd(SHARED / "cap" / "CAP-v1.2.xsd")
    embedded = root.findall(f"{E}contentObject/{E}xmlContent/{E}embeddedXMLContent/*")
    assert len(embedded) == 3
    assert all(cap.validate(etree.fromstring(etree.tostring(alert))) for alert in embedded)
    assert validate_edxl_de(data) == []


def test_the_envelope_has_the_required_elements_in_order() -> None:
    root = etree.fromstring(wrap(status="Actual", kind="Update"))
    names = [etree.QName(e).localname for e in root]
    assert names[:6] == [
        "distributionID",
        "senderID",
        "dateTimeSent",
        "distributionStatus",
        "distributionType",
        "combinedConfidentiality",
    ]
    assert root.findtext(f"{E}dateTimeSent") == "2026-11-24T08:00:00+01:00"
    assert root.findtext(f"{E}distributionType") == "Update"
    assert root.findtext(f"{E}combinedConfidentiality") == "UNCLASSIFIED AND NOT SENSITIVE"


def test_unwrap_gives_back_the_alerts() -> None:
    unwrapped = unwrap_edxl_de(wrap())
    assert [read_cap(doc) for doc in unwrapped] == [read_cap(doc) for doc in documents()]
    assert all(doc.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns=') for doc in unwrapped)
    assert all(EDXL_NS.encode() not in doc for doc in unwrapped)


def test_roles_keywords_and_recipients() -> None:
    data = wrap(
        keywords=[("urn:portavera:kw", "flood"), ("urn:portavera:kw", "road"), ("urn:other", "x")],
        sender_role=[("urn:roles", "city")],
        recipient_role=[("urn:roles", "police")],
        recipients=["desk@police.example", "night@police.example"],
    )
    root = etree.fromstring(data)
    keywords = root.findall(f"{E}keyword")
    assert [[v.text for v in k.findall(f"{E}value")] for k in keywords] == [["flood", "road"], ["x"]]
    assert root.findtext(f"{E}senderRole/{E}value") == "city"
    assert root.findtext(f"{E}explicitAddress/{E}explicitAddressScheme") == "e-mail"
    assert [v.text for v in root.iterfind(f"{E}explicitAddress/{E}explicitAddressValue")] == [
        "desk@police.example",
        "night@police.example",
    ]
    assert validate_edxl_de(data) == []


def test_an_exercise_distribution_carries_exercise_alerts() -> None:
    data = wrap([exercise(doc) for doc in documents()], status="Exercise")
    assert validate_edxl_de(data) == []


def test_an_actual_alert_in_an_exercise_distribution_is_refused() -> None:
    docs = documents()
    with pytest.raises(CapError) as caught:
        wrap([exercise(docs[0]), docs[1]], status="Exercise")
    (problem,) = caught.value.problems
    assert problem.path == "cap_documents[1].alert.status"
    assert problem.message == "the alert's status 'Actual' differs from the distribution's 'Exercise'."


def test_a_draft_is_not_distributed() -> None:
    with pytest.raises(CapError) as caught:
        wrap(status="Draft")
    assert caught.value.problems[0].path == "EDXLDistribution.distributionStatus"


def test_an_invalid_alert_is_refused_with_its_path() -> None:
    docs = documents()
    docs[2] = docs[2].replace(b"<certainty>Likely</certainty>", b"<certainty>Sure</certainty>", 1)
    with pytest.raises(CapError) as caught:
        wrap(docs)
    assert [p.path for p in caught.value.problems] == ["cap_documents[2].alert.info[0].certainty"]


def test_malformed_alerts_and_bad_envelopes_are_refused() -> None:
    with pytest.raises(CapError) as caught:
        wrap([b"<alert"], sender_id="ops", kind="Memo", sent=datetime(2026, 1, 1))
    assert [p.path for p in caught.value.problems] == [
        "EDXLDistribution.senderID",
        "EDXLDistribution.distributionType",
        "EDXLDistribution.dateTimeSent",
        "cap_documents[0].alert",
    ]


def test_nothing_to_distribute_is_refused() -> None:
    with pytest.raises(CapError, match="at least one CAP document"):
        wrap([])


def test_validate_reports_envelope_schema_errors_with_paths() -> None:
    data = wrap(sent=datetime(2026, 1, 1, tzinfo=UTC)).replace(b"<distributionID>portavera-d-1</distributionID>", b"")
    problems = validate_edxl_de(data)
    assert [p.path for p in problems] == ["EDXLDistribution.senderID", "EDXLDistribution.distributionID"]
    assert problems[0].message.startswith("line 4: Element 'senderID': This element is not expected.")
    assert problems[1].message == "the distribution needs an identifier."


def test_validate_reports_embedded_alert_problems_with_their_path() -> None:
    data = wrap().replace(b"<identifier>TRI13970876.2</identifier>", b"<identifier>TRI 2</identifier>")
    data = data.replace(b"<sent>2003-04-02T14:39:01-05:00</sent>", b"<sent>2003-04-02T14:39:01Z</sent>")
    problems = validate_edxl_de(data)
    prefix = "EDXLDistribution.contentObject[{}].xmlContent.embeddedXMLContent[0].alert."
    assert [p.path for p in problems] == [prefix.format(0) + "sent", prefix.format(1) + "identifier"]
    assert problems[0].message.startswith("line 15: Element 'sent': [facet 'pattern']")  # the line in the envelope


def test_validate_reports_a_status_mismatch() -> None:
    data = wrap().replace(b"<distributionStatus>Actual</", b"<distributionStatus>Test</")
    assert len([p for p in validate_edxl_de(data) if p.path.endswith("alert.status")]) == 3


def test_validate_and_unwrap_refuse_other_documents() -> None:
    cap = documents()[0]
    assert [p.path for p in validate_edxl_de(cap)] == ["EDXLDistribution"]
    with pytest.raises(CapError, match="expected <EDXLDistribution>"):
        unwrap_edxl_de(cap)


def test_a_distribution_without_alerts_is_reported() -> None:
    data = etree.tostring(etree.fromstring(wrap()))
    root = etree.fromstring(data)
    for content in root.findall(f"{E}contentObject"):
        root.remove(content)
    problems = validate_edxl_de(etree.tostring(root))
    assert [p.path for p in problems] == ["EDXLDistribution.contentObject"]


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        f'<EDXLDistribution xmlns="{EDXL_NS}"><distributionID>&e;</distributionID></EDXLDistribution>'
    ).encode()
    problems = validate_edxl_de(data)
    assert [p.path for p in problems] == ["EDXLDistribution"] and "DOCTYPE" in problems[0].message
    with pytest.raises(CapError):
        unwrap_edxl_de(data)


def test_text_xml_cannot_carry_is_refused_not_crashed_on() -> None:
    with pytest.raises(CapError, match="EDXLDistribution: the distribution cannot be written"):
        wrap(keywords=[("urn:kw", "bell\x07")])
