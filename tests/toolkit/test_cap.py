"""CAP 1.2: the OASIS examples, writing, reading, the XSD and the rules beyond it, XXE refusal."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from streetlight.toolkit.formats import FormatError
from streetlight.toolkit.formats.cap import (
    CAP_NS,
    CATEGORIES,
    CERTAINTIES,
    MSG_TYPES,
    RESPONSE_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    CapAlert,
    CapArea,
    CapError,
    CapInfo,
    CapProblem,
    CapReference,
    CapResource,
    cap_problems,
    read_cap,
    validate_cap,
    write_cap,
)
from streetlight.toolkit.formats.cap.model import join_list, split_list

SHARED = Path("/work/shared/standards")
if not SHARED.is_dir():  # a checkout beside the shared folder
    SHARED = Path(__file__).resolve().parents[3] / "shared" / "standards"
SHARED_XSD = SHARED / "cap" / "CAP-v1.2.xsd"
PACKAGED = Path(__file__).resolve().parents[2] / "src" / "streetlight" / "toolkit" / "formats" / "schemas"
EXAMPLES = sorted((SHARED / "cap").glob("example-*.xml"))
CET = timezone(timedelta(hours=1))

pytestmark = pytest.mark.skipif(not SHARED_XSD.is_file(), reason="shared/standards is not available")


def xsd(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def example(name: str) -> bytes:
    return next(p for p in EXAMPLES if name in p.name).read_bytes()


def info(**changes: Any) -> CapInfo:
    base = CapInfo(
        language="en",
        categories=("Safety",),
        event="Street closure",
        urgency="Expected",
        severity="Minor",
        certainty="Likely",
        onset=datetime(2026, 11, 24, 8, 0, tzinfo=CET),
        expires=datetime(2026, 11, 24, 20, 0, tzinfo=CET),
        areas=(
            CapArea(
                "Old town",
                polygons=(((45.0, 7.0), (45.0, 7.1), (45.1, 7.1), (45.1, 7.0), (45.0, 7.0)),),
                circles=((45.05, 7.05, 0.5),),
            ),
        ),
    )
    return replace(base, **changes)


def alert(**changes: Any) -> CapAlert:
    base = CapAlert(
        identifier="portavera-2026-0001",
        sender="alerts@portavera.example",
        sent=datetime(2026, 11, 24, 7, 30, tzinfo=CET),
        status="Actual",
        msg_type="Alert",
        scope="Public",
        infos=(info(),),
    )
    return replace(base, **changes)


def paths(problems: list[CapProblem]) -> list[str]:
    return [p.path for p in problems]


# -- the interface -----------------------------------------------------------------------------------


def test_enumerations_are_cap_1_2s() -> None:
    assert CAP_NS == "urn:oasis:names:tc:emergency:cap:1.2"
    assert STATUSES == ("Actual", "Exercise", "System", "Test", "Draft")
    assert MSG_TYPES == ("Alert", "Update", "Cancel", "Ack", "Error")
    assert SCOPES == ("Public", "Restricted", "Private")
    assert len(CATEGORIES) == 12 and "CBRNE" in CATEGORIES
    assert RESPONSE_TYPES == (
        "Shelter",
        "Evacuate",
        "Prepare",
        "Execute",
        "Avoid",
        "Monitor",
        "Assess",
        "AllClear",
        "None",
    )
    assert URGENCIES == ("Immediate", "Expected", "Future", "Past", "Unknown")
    assert SEVERITIES == ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
    assert CERTAINTIES == ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


def test_cap_error_is_a_format_error_naming_the_paths() -> None:
    error = CapError([CapProblem("alert.sent", "bad."), CapProblem("alert.info[0].event", "empty.")])
    assert isinstance(error, FormatError) and isinstance(error, ValueError)
    assert str(error) == "alert.sent: bad.; alert.info[0].event: empty."
    assert len(error.problems) == 2


def test_packaged_schemas_are_the_shared_files() -> None:
    for packaged, shared in (
        (PACKAGED / "CAP-v1.2.xsd", SHARED_XSD),
        (PACKAGED / "edxlde-1_0.xsd", SHARED / "edxl-de" / "edxlde-1_0.xsd"),
    ):
        assert hashlib.sha256(packaged.read_bytes()).digest() == hashlib.sha256(shared.read_bytes()).digest()
    assert "Copyright OASIS Open" in (PACKAGED / "SOURCE.md").read_text(encoding="utf-8")


# -- the OASIS examples --------------------------------------------------------------------------------


def test_example_a1_reads() -> None:
    a1 = read_cap(example("A1"))
    assert (a1.identifier, a1.sender, a1.status, a1.msg_type, a1.scope) == (
        "43b080713727",
        "hsas@dhs.gov",
        "Actual",
        "Alert",
        "Public",
    )
    assert a1.sent == datetime(2003, 4, 2, 19, 39, 1, tzinfo=UTC)
    (only,) = a1.infos
    assert only.language == "en-US"  # absent in the document: the XSD's default
    assert only.categories == ("Security",)
    assert only.parameters == (("HSAS", "ORANGE"),)
    assert only.resources == (
        CapResource("Image file (GIF)", "image/gif", uri="http://www.dhs.gov/dhspublic/getAdvisoryImage"),
    )
    assert only.areas == (CapArea("U.S. nationwide and interests worldwide"),)


def test_example_a3_is_an_update_with_its_reference_and_circle() -> None:
    a3 = read_cap(example("A3"))
    assert a3.msg_type == "Update"
    assert a3.references == (
        CapReference(
            "trinet@caltech.edu", "TRI13970876.1", datetime(2003, 6, 11, 20, 30, tzinfo=timezone(-timedelta(hours=7)))
        ),
    )
    assert a3.infos[0].areas[0].circles == ((32.9525, -115.5527, 0.0),)
    assert len(a3.infos[0].parameters) == 5


def test_example_a4_is_multilingual() -> None:
    a4 = read_cap(example("A4"))
    assert [i.language for i in a4.infos] == ["en-US", "es-US"]
    assert a4.infos[1].event == "Abducción de Niño"
    assert a4.infos[0].event_codes == (("SAME", "CAE"),)
    assert a4.infos[1].areas[0].geocodes == (("SAME", "006037"),)
    assert a4.source == "SW"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip_and_validate(path: Path) -> None:
    original = read_cap(path.read_bytes())
    written = write_cap(original)
    assert read_cap(written) == original
    assert write_cap(read_cap(written)) == written
    assert xsd(SHARED_XSD).validate(etree.fromstring(written))
    assert xsd(PACKAGED / "CAP-v1.2.xsd").validate(etree.fromstring(written))
    assert validate_cap(path.read_bytes()) == []
    assert validate_cap(written) == []
    assert validate_cap(written, schema_path=SHARED_XSD) == []


# -- writing ---------------------------------------------------------------------------------------------


def test_write_has_declaration_namespace_and_the_xsd_order() -> None:
    full = alert(
        source="control room",
        scope="Restricted",
        restriction="police only",
        addresses=("ops@police.example", "night desk"),
        codes=("IPAWSv1.0",),
        note="drill",
        incidents=("inc-1",),
        infos=(
            info(
                response_types=("Avoid",),
                audience="residents",
                event_codes=(("SAME", "CEM"),),
                effective=datetime(2026, 11, 24, 7, 30, tzinfo=CET),
                sender_name="Portavera",
                headline="Closure",
                description="Road works",
                instruction="Use Via Po",
                web="https://portavera.example/a/1",
                contact="+39 011 000",
                parameters=(("layer", "roads"),),
                resources=(CapResource("map", "image/png", size=10, uri="https://x.example/m.png", digest="ab"),),
                areas=(CapArea("Centre", geocodes=(("ISTAT", "001272"),), altitude=100.0, ceiling=200.0),),
            ),
        ),
    )
    data = write_cap(full)
    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
    )
    root = etree.fromstring(data)
    names = [etree.QName(e).localname for e in root]
    assert names == [
        "identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction", "addresses",
        "code", "note", "incidents", "info",
    ]  # fmt: skip
    info_names = [etree.QName(e).localname for e in root.find(f"{{{CAP_NS}}}info")]
    assert info_names == [
        "language", "category", "event", "responseType", "urgency", "severity", "certainty", "audience",
        "eventCode", "effective", "onset", "expires", "senderName", "headline", "description", "instruction",
        "web", "contact", "parameter", "resource", "area",
    ]  # fmt: skip
    assert xsd(SHARED_XSD).validate(root)
    assert read_cap(data) == full


def test_times_are_written_with_offsets_and_utc_as_minus_zero() -> None:
    data = write_cap(alert(sent=datetime(2026, 11, 24, 7, 0, tzinfo=UTC)))
    root = etree.fromstring(data)
    assert root.findtext(f"{{{CAP_NS}}}sent") == "2026-11-24T07:00:00-00:00"
    assert b"<onset>2026-11-24T08:00:00+01:00</onset>" in data


def test_plus_and_minus_zero_both_read_as_utc() -> None:
    for text in ("2026-11-24T07:00:00-00:00", "2026-11-24T07:00:00+00:00"):
        data = write_cap(alert()).replace(b"2026-11-24T07:30:00+01:00", text.encode())
        assert read_cap(data).sent == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_addresses_with_spaces_are_quoted_and_split_back() -> None:
    private = alert(scope="Private", addresses=("ops@police.example", "Night Desk", "x"))
    data = write_cap(private)
    assert b'<addresses>ops@police.example "Night Desk" x</addresses>' in data
    assert read_cap(data).addresses == ("ops@police.example", "Night Desk", "x")
    assert split_list(' a  "b c"\n d ') == ("a", "b c", "d")
    assert join_list(["a", "b c"]) == 'a "b c"'


def test_references_are_written_as_sender_identifier_sent() -> None:
    update = alert(
        msg_type="Update", references=(CapReference("a@b.example", "id-1", datetime(2026, 1, 1, tzinfo=UTC)),)
    )
    assert b"<references>a@b.example,id-1,2026-01-01T00:00:00-00:00</references>" in write_cap(update)


def test_coordinates_are_never_written_in_exponent_form() -> None:
    tiny = info(areas=(CapArea("tiny", circles=((1e-05, -1e-06, 0.000125),)),))
    data = write_cap(alert(infos=(tiny,)))
    assert b"<circle>0.00001,-0.000001 0.000125</circle>" in data
    assert read_cap(data).infos[0].areas[0].circles == ((1e-05, -1e-06, 0.000125),)


def test_write_refuses_an_alert_with_problems() -> None:
    with pytest.raises(CapError) as caught:
        write_cap(alert(identifier="has space", infos=(info(urgency="Soon"),)))
    assert paths(caught.value.problems) == ["alert.info[0].urgency", "alert.identifier"]
    assert "alert.identifier: the identifier must not contain" in str(caught.value)


# -- the rules beyond the XSD, each at its path -----------------------------------------------------


def test_a_valid_alert_has_no_problems() -> None:
    assert cap_problems(alert()) == []


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("identifier", "a b", "a space"),
        ("identifier", "a,b", "a comma"),
        ("identifier", "a<b", "'<'"),
        ("identifier", "a&b", "'&'"),
        ("identifier", "", "must not be empty"),
        ("sender", "me you", "a space"),
        ("sender", "me\tyou", "'\\t'"),
    ],
)
def test_identifier_and_sender_refuse_spaces_commas_and_restricted_characters(
    field: str, value: str, fragment: str
) -> None:
    (problem,) = cap_problems(alert(**{field: value}))
    assert problem.path == f"alert.{field}"
    assert fragment in problem.message


def test_times_need_an_offset() -> None:
    (problem,) = cap_problems(alert(sent=datetime(2026, 11, 24, 7, 30)))
    assert problem == CapProblem("alert.sent", "the date and time needs a time zone offset, like +01:00.")


def test_times_have_whole_seconds() -> None:
    late = info(expires=datetime(2026, 11, 24, 20, 0, 0, 500, tzinfo=CET))
    assert paths(cap_problems(alert(infos=(late,)))) == ["alert.info[0].expires"]


def test_restricted_needs_a_restriction() -> None:
    assert paths(cap_problems(alert(scope="Restricted"))) == ["alert.restriction"]
    assert cap_problems(alert(scope="Restricted", restriction="police")) == []


def test_private_needs_addresses() -> None:
    assert paths(cap_problems(alert(scope="Private"))) == ["alert.addresses"]


def test_addresses_cannot_hold_quotes_or_be_blank() -> None:
    problems = cap_problems(alert(scope="Private", addresses=("ok", 'say "hi"', " ")))
    assert paths(problems) == ["alert.addresses[1]", "alert.addresses[2]"]


@pytest.mark.parametrize("msg_type", ["Update", "Cancel", "Ack", "Error"])
def test_updates_cancels_acks_and_errors_need_references(msg_type: str) -> None:
    assert "alert.references" in paths(cap_problems(alert(msg_type=msg_type)))


def test_references_follow_the_identifier_rules() -> None:
    bad = CapReference("a b", "id", datetime(2026, 1, 1))
    assert paths(cap_problems(alert(msg_type="Update", references=(bad,)))) == [
        "alert.references[0].sender",
        "alert.references[0].sent",
    ]


@pytest.mark.parametrize("msg_type", ["Alert", "Update"])
def test_alerts_and_updates_need_an_info(msg_type: str) -> None:
    refs = (CapReference("a@b", "x", datetime(2026, 1, 1, tzinfo=UTC)),)
    assert paths(cap_problems(alert(msg_type=msg_type, references=refs, infos=()))) == ["alert.info"]


def test_a_cancel_needs_no_info() -> None:
    refs = (CapReference("a@b", "x", datetime(2026, 1, 1, tzinfo=UTC)),)
    assert cap_problems(alert(msg_type="Cancel", references=refs, infos=())) == []


def test_expires_must_follow_onset_and_effective() -> None:
    early = info(expires=datetime(2026, 11, 24, 8, 0, tzinfo=CET))  # == onset
    assert cap_problems(alert(infos=(early,))) == [
        CapProblem("alert.info[0].expires", "the alert expires before (or when) it becomes onset.")
    ]
    effective = info(onset=None, effective=datetime(2026, 11, 25, tzinfo=UTC))
    assert paths(cap_problems(alert(infos=(effective,)))) == ["alert.info[0].expires"]


def test_expires_before_sent_is_allowed() -> None:
    assert cap_problems(alert(sent=datetime(2026, 12, 1, tzinfo=UTC))) == []


@pytest.mark.parametrize("tag", ["en", "fr-BE", "nl", "es-419", "zh-Hant-TW", "ast"])
def test_well_formed_language_tags(tag: str) -> None:
    assert cap_problems(alert(infos=(info(language=tag),))) == []


@pytest.mark.parametrize("tag", ["", "e", "english", "en_US", "en-", "fr-BE-toolongsubtag"])
def test_malformed_language_tags(tag: str) -> None:
    assert paths(cap_problems(alert(infos=(info(language=tag),)))) == ["alert.info[0].language"]


def test_two_infos_in_one_language_for_the_same_event_and_areas_are_refused() -> None:
    problems = cap_problems(alert(infos=(info(), info(language="fr"), info(language="EN"))))
    assert paths(problems) == ["alert.info[2]"]
    assert "repeats info[0]" in problems[0].message
    other_area = info(areas=(CapArea("New town", circles=((45.0, 7.0, 1.0),)),))
    assert cap_problems(alert(infos=(info(), other_area))) == []


def test_polygon_needs_four_points() -> None:
    short = info(areas=(CapArea("x", polygons=(((45.0, 7.0), (45.1, 7.0), (45.0, 7.0)),)),))
    (problem,) = cap_problems(alert(infos=(short,)))
    assert problem.path == "alert.info[0].area[0].polygon[0]"
    assert "at least 4 points" in problem.message


def test_polygon_must_be_closed() -> None:
    ring = ((45.0, 7.0), (45.0, 7.1), (45.1, 7.1), (45.1, 7.0))
    second = CapArea("y", polygons=(ring,))
    (problem,) = cap_problems(alert(infos=(info(), info(language="fr", areas=(info().areas[0], second)))))
    assert problem.path == "alert.info[1].area[1].polygon[0]"
    assert "not closed" in problem.message


def test_polygon_coordinates_are_lat_lon_on_the_globe() -> None:
    swapped = ((95.0, 7.0), (95.1, 7.0), (95.1, 7.1), (95.0, 7.0))
    problems = cap_problems(alert(infos=(info(areas=(CapArea("x", polygons=(swapped,)),)),)))
    assert paths(problems) == ["alert.info[0].area[0].polygon[0][0]"]
    assert "latitude (-90..90) first" in problems[0].message


def test_polygon_must_not_cross_itself() -> None:
    bowtie = ((45.0, 7.0), (45.1, 7.1), (45.1, 7.0), (45.0, 7.1), (45.0, 7.0))
    (problem,) = cap_problems(alert(infos=(info(areas=(CapArea("x", polygons=(bowtie,)),)),)))
    assert problem.path == "alert.info[0].area[0].polygon[0]"
    assert "Self-intersection" in problem.message


def test_circle_radius_cannot_be_negative_but_zero_is_a_point() -> None:
    circles = ((45.0, 7.0, -1.0), (45.0, 7.0, 0.0), (91.0, 7.0, 1.0))
    problems = cap_problems(alert(infos=(info(areas=(CapArea("x", circles=circles),)),)))
    assert paths(problems) == ["alert.info[0].area[0].circle[0]", "alert.info[0].area[0].circle[2]"]


def test_ceiling_needs_an_altitude_below_it() -> None:
    assert paths(cap_problems(alert(infos=(info(areas=(CapArea("x", ceiling=10.0),)),)))) == [
        "alert.info[0].area[0].ceiling"
    ]
    low = CapArea("x", altitude=20.0, ceiling=10.0)
    assert paths(cap_problems(alert(infos=(info(areas=(low,)),)))) == ["alert.info[0].area[0].ceiling"]


def test_enumerations_are_checked_on_the_dataclass() -> None:
    odd = alert(status="Live", infos=(info(categories=("Crime",), response_types=("Run",), certainty="Sure"),))
    assert paths(cap_problems(odd)) == [
        "alert.status",
        "alert.info[0].category[0]",
        "alert.info[0].responseType[0]",
        "alert.info[0].certainty",
    ]


def test_an_info_needs_a_category_and_an_event() -> None:
    assert paths(cap_problems(alert(infos=(info(categories=(), event=" "),)))) == [
        "alert.info[0].category",
        "alert.info[0].event",
    ]


def test_characters_xml_cannot_carry_are_named() -> None:
    (problem,) = cap_problems(alert(infos=(info(headline="bell\x07"),)))
    assert problem == CapProblem("alert.info[0].headline", "contains the character U+0007, which XML cannot carry.")
    assert paths(cap_problems(alert(identifier="id\x00"))) == ["alert.identifier"]


def test_resources_need_a_description_and_a_mime_type() -> None:
    bad = info(resources=(CapResource("", " ", size=-1),))
    assert paths(cap_problems(alert(infos=(bad,)))) == [
        "alert.info[0].resource[0].resourceDesc",
        "alert.info[0].resource[0].mimeType",
        "alert.info[0].resource[0].size",
    ]


# -- reading --------------------------------------------------------------------------------------------


def test_read_refuses_malformed_xml_with_the_line() -> None:
    with pytest.raises(CapError) as caught:
        read_cap(b'<?xml version="1.0"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">\n<identifier>')
    (problem,) = caught.value.problems
    assert problem.path == "alert" and problem.message.startswith("line 3: not well-formed XML")


def test_read_refuses_the_wrong_namespace() -> None:
    with pytest.raises(
        CapError, match=r"alert: the root is <alert> in namespace 'urn:oasis:names:tc:emergency:cap:1.1'"
    ):
        read_cap(example("A1").replace(b"cap:1.2", b"cap:1.1"))


def test_read_names_every_missing_element() -> None:
    data = example("A1").replace(b"<identifier>43b080713727</identifier>", b"").replace(b"<event>", b"<audience>")
    data = data.replace(b"</event>", b"</audience>")
    with pytest.raises(CapError) as caught:
        read_cap(data)
    assert paths(caught.value.problems) == ["alert.info[0].event", "alert.identifier"]
    assert caught.value.problems[1].message == "the required element <identifier> is missing."


def test_read_refuses_a_time_without_offset() -> None:
    with pytest.raises(CapError) as caught:
        read_cap(example("A1").replace(b"2003-04-02T14:39:01-05:00", b"2003-04-02T14:39:01"))
    assert paths(caught.value.problems) == ["alert.sent"]


def test_read_refuses_a_date_that_does_not_exist() -> None:
    with pytest.raises(CapError, match=r"alert.sent: '2003-02-30T14:39:01-05:00' is not a date and time that exists"):
        read_cap(example("A1").replace(b"2003-04-02T14:39:01-05:00", b"2003-02-30T14:39:01-05:00"))


def test_read_names_a_broken_polygon_and_reference() -> None:
    data = example("A3").replace(b"<circle>32.9525,-115.5527 0</circle>", b"<polygon>1,2 3;4</polygon>")
    data = data.replace(b",TRI13970876.1,", b",TRI13970876.1")
    with pytest.raises(CapError) as caught:
        read_cap(data)
    assert paths(caught.value.problems) == ["alert.info[0].area[0].polygon[0]", "alert.references"]


def test_read_takes_bytes_only() -> None:
    with pytest.raises(CapError, match="must be given as bytes"):
        read_cap(example("A1").decode())  # type: ignore[arg-type]


# -- validating -----------------------------------------------------------------------------------------


def test_validate_reports_xsd_errors_with_line_and_path() -> None:
    data = example("A4").replace(b"<certainty>Likely</certainty>", b"<certainty>Sure</certainty>")
    data = data.replace(b"<status>Actual</status>", b"<status>Live</status>")
    problems = validate_cap(data)
    assert paths(problems) == ["alert.status", "alert.info[0].certainty", "alert.info[1].certainty"]
    assert problems[0].message.startswith("line 6: Element 'status': [facet 'enumeration'] The value 'Live'")
    assert problems[2].message.startswith("line 39: ")


def test_validate_refuses_z_and_fractions() -> None:
    data = example("A1").replace(b"2003-04-02T14:39:01-05:00", b"2003-04-02T19:39:01.5Z")
    (problem,) = validate_cap(data)
    assert problem.path == "alert.sent" and "pattern" in problem.message


def test_validate_reports_plus_zero_for_utc() -> None:
    data = example("A1").replace(b"2003-04-02T14:39:01-05:00", b"2003-04-02T19:39:01+00:00")
    assert validate_cap(data) == [CapProblem("alert.sent", "CAP writes UTC as -00:00, not +00:00 (CAP 1.2 §3.3.2).")]


def test_validate_applies_the_rules_beyond_the_xsd() -> None:
    data = example("A3").replace(
        b"<circle>32.9525,-115.5527 0</circle>", b"<polygon>32.9,-115.5 33.0,-115.5 33.0,-115.6</polygon>"
    )
    data = data.replace(b"<identifier>TRI13970876.2</identifier>", b"<identifier>TRI 2</identifier>")
    assert paths(validate_cap(data)) == ["alert.identifier", "alert.info[0].area[0].polygon[0]"]


def test_validate_reports_elements_out_of_order() -> None:
    data = example("A1").replace(
        b"<status>Actual</status>\n    <msgType>Alert</msgType>", b"<msgType>Alert</msgType><status>Actual</status>"
    )
    problems = validate_cap(data)
    assert problems and problems[0].path == "alert.msgType" and "line 6" in problems[0].message


def test_validate_reports_malformed_xml_as_a_problem() -> None:
    assert paths(validate_cap(b"<alert")) == ["alert"]


def test_validation_from_many_threads_keeps_each_documents_errors() -> None:
    """A threaded web server validates concurrently; an XMLSchema keeps its error log on itself."""
    good = example("A4")
    bad = good.replace(b"<status>Actual</status>", b"<status>Live</status>")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(validate_cap, [good, bad] * 40))
    assert all(r == [] for r in results[::2])
    assert all(paths(r) == ["alert.status"] for r in results[1::2])


# -- no XXE ---------------------------------------------------------------------------------------------


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        f'<alert xmlns="{CAP_NS}"><identifier>&xxe;</identifier></alert>'
    ).encode()
    with pytest.raises(CapError) as caught:
        read_cap(data)
    assert "TOP-SECRET" not in str(caught.value)
    assert "DOCTYPE" in str(caught.value)
    problems = validate_cap(data)
    assert paths(problems) == ["alert"] and "TOP-SECRET" not in problems[0].message


def test_entity_expansion_bombs_are_refused() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))
    data = f'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY l0 "lol">{lol}]><alert xmlns="{CAP_NS}">&l8;</alert>'
    with pytest.raises(CapError, match=r"DOCTYPE|entity"):  # libxml2 may stop it first
        read_cap(data.encode())
    assert paths(validate_cap(data.encode())) == ["alert"]


# -- property: any valid alert round-trips and validates ----------------------------------------------

_ZONES = st.sampled_from([UTC, CET, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))])
moments = st.builds(
    lambda d, tz: d.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    _ZONES,
)
_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r \"'<>&")
text = st.text(_CHARS, max_size=30)
words = text.filter(lambda s: s.strip() != "")
tokens = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@:/", min_size=1, max_size=20)
list_items = words.filter(lambda s: '"' not in s)
uris = tokens.map(lambda t: f"https://example.org/{t}")
pairs = st.lists(st.tuples(text, text), max_size=2).map(tuple)


@st.composite
def polygons(draw: st.DrawFn) -> tuple[tuple[float, float], ...]:
    lat = draw(st.floats(-80, 80))
    lon = draw(st.floats(-170, 170))
    d = draw(st.floats(0.001, 5))
    if draw(st.booleans()):
        ring = [(lat, lon), (lat, lon + d), (lat + d, lon + d), (lat + d, lon)]
    else:
        ring = [(lat, lon), (lat + d, lon + d / 2), (lat, lon + d)]
    return (*ring, ring[0])


circles = st.tuples(st.floats(-90, 90), st.floats(-180, 180), st.floats(0, 1000))


@st.composite
def areas(draw: st.DrawFn) -> CapArea:
    altitude = draw(st.none() | st.floats(-1000, 50000))
    ceiling = None if altitude is None else draw(st.none() | st.floats(altitude, altitude + 10000))
    return CapArea(
        description=draw(text),
        polygons=tuple(draw(st.lists(polygons(), max_size=2))),
        circles=tuple(draw(st.lists(circles, max_size=2))),
        geocodes=draw(pairs),
        altitude=altitude,
        ceiling=ceiling,
    )


resources = st.builds(
    CapResource,
    description=words,
    mime_type=st.sampled_from(["image/png", "audio/mpeg", "text/plain"]),
    size=st.none() | st.integers(0, 10**12),
    uri=st.none() | uris,
    digest=st.none() | tokens,
    deref_uri=st.none() | tokens,
)


@st.composite
def infos(draw: st.DrawFn) -> CapInfo:
    start = draw(moments)
    return CapInfo(
        language=draw(st.sampled_from(["en", "fr", "nl", "it", "es", "en-US", "fr-BE", "es-419"])),
        categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3))),
        event=draw(words),
        urgency=draw(st.sampled_from(URGENCIES)),
        severity=draw(st.sampled_from(SEVERITIES)),
        certainty=draw(st.sampled_from(CERTAINTIES)),
        response_types=tuple(draw(st.lists(st.sampled_from(RESPONSE_TYPES), max_size=2))),
        audience=draw(st.none() | text),
        event_codes=draw(pairs),
        effective=draw(st.none() | st.just(start)),
        onset=draw(st.none() | st.just(start + timedelta(hours=1))),
        expires=draw(st.none() | st.just(start + timedelta(days=1))),
        sender_name=draw(st.none() | text),
        headline=draw(st.none() | text),
        description=draw(st.none() | text),
        instruction=draw(st.none() | text),
        web=draw(st.none() | uris),
        contact=draw(st.none() | text),
        parameters=draw(pairs),
        resources=tuple(draw(st.lists(resources, max_size=2))),
        areas=tuple(draw(st.lists(areas(), max_size=2))),
    )


@st.composite
def alerts(draw: st.DrawFn) -> CapAlert:
    msg_type = draw(st.sampled_from(MSG_TYPES))
    scope = draw(st.sampled_from(SCOPES))
    references = st.builds(CapReference, tokens, tokens, moments)
    return CapAlert(
        identifier=draw(tokens),
        sender=draw(tokens),
        sent=draw(moments),
        status=draw(st.sampled_from(STATUSES)),
        msg_type=msg_type,
        scope=scope,
        source=draw(st.none() | text),
        restriction=draw(words) if scope == "Restricted" else draw(st.none() | text),
        addresses=tuple(draw(st.lists(list_items, min_size=scope == "Private", max_size=3))),
        codes=tuple(draw(st.lists(text, max_size=2))),
        note=draw(st.none() | text),
        references=tuple(draw(st.lists(references, min_size=msg_type != "Alert", max_size=2))),
        incidents=tuple(draw(st.lists(list_items, max_size=2))),
        infos=tuple(
            draw(
                st.lists(
                    infos(),
                    min_size=msg_type in ("Alert", "Update"),
                    max_size=3,
                    unique_by=lambda i: (i.language.lower(), i.event, tuple(a.description for a in i.areas)),
                )
            )
        ),
    )


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(alerts())
def test_any_valid_alert_round_trips_and_validates(generated: CapAlert) -> None:
    assert cap_problems(generated) == []
    data = write_cap(generated)
    assert read_cap(data) == generated
    assert validate_cap(data) == []
