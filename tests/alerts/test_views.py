"""Warning pages for the public and the control room, the CAP documents and the Atom index."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from streetlight.alerts.models import Alert
from streetlight.alerts.services import alert_cancel, alert_issue
from streetlight.toolkit.formats.cap import read_cap
from streetlight.toolkit.formats.edxl import unwrap_edxl_de, validate_edxl_de
from tests.staff import member, signed_in

from .factories import draft, later, schema_errors

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_public_list_shows_warnings_in_force_in_the_readers_language(client: Client) -> None:
    alert_issue(draft=draft(), by=None)
    alert_issue(draft=draft(scope="Restricted", restriction="Port businesses"), by=None)
    page = client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vols de vélos autour de la gare" in page
    assert page.count('class="panel alert-entry"') == 1  # the restricted one is not public


def test_the_cap_document_is_served_as_published(client: Client) -> None:
    alert = alert_issue(draft=draft(), by=None)
    response = client.get(f"/alerts/{alert.identifier}.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cap+xml")
    assert response.content.decode() == alert.document
    assert schema_errors(response.content) == []


def test_restricted_warnings_have_no_public_document_or_page(client: Client) -> None:
    alert = alert_issue(draft=draft(scope="Restricted", restriction="Port businesses"), by=None)
    assert client.get(f"/alerts/{alert.identifier}.xml").status_code == 404
    assert client.get(f"/alerts/{alert.identifier}/").status_code == 404


def test_the_atom_index_links_every_current_message_to_its_cap_document(client: Client) -> None:
    first = alert_issue(draft=draft(), by=None)
    cancel = alert_cancel(original=first, note="Over.", by=None)
    other = alert_issue(draft=draft(topics=("nuisance",)), by=None)
    response = client.get("/alerts/feed.atom?lang=fr")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    links = {link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("type") == "application/cap+xml"}
    assert {href.rsplit("/", 1)[1] for href in links} == {f"{a.identifier}.xml" for a in (cancel, other)}
    titles = [t.text for t in feed.iter(f"{ATOM}title")]
    assert any(t and t.startswith("Annulé") for t in titles)


@pytest.mark.parametrize(("query", "parameter"), [("area=ZZ", "area"), ("topic=nope", "topic"), ("lang=xx", "lang")])
def test_bad_feed_parameters_are_named(client: Client, query: str, parameter: str) -> None:
    response = client.get(f"/alerts/feed.atom?{query}")
    assert response.status_code == 400
    assert f"“{parameter}”" in response.content.decode()


def test_the_feed_filters_by_area_and_topic(client: Client) -> None:
    alert_issue(draft=draft(), by=None)  # D01, theft
    assert b"<entry>" in client.get("/alerts/feed.atom?area=D01&topic=theft").content
    assert b"<entry>" not in client.get("/alerts/feed.atom?area=D05").content
    assert b"<entry>" not in client.get("/alerts/feed.atom?topic=nuisance").content


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "call_for_help",
        "status": "Actual",
        "scope": "Public",
        "cap_categories": ["Safety", "Rescue"],
        "topics": ["theft"],
        "urgency": "Immediate",
        "severity": "Moderate",
        "certainty": "Observed",
        "response_types": ["Monitor"],
        "expires": later(3).strftime("%Y-%m-%dT%H:%M"),
        "area_mode": "area",
        "area_code": "D02",
        "headline_en": "Have you seen a red cargo bike?",
        "event_en": "Stolen cargo bike",
        "description_en": "A red cargo bike was stolen on Market Street this morning.",
        "headline_nl": "Heeft u een rode bakfiets gezien?",
        "event_nl": "Gestolen bakfiets",
        "description_nl": "Vanochtend is een rode bakfiets gestolen in de Marktstraat.",
    }
    data.update(changes)
    return data


def test_an_operator_issues_a_call_for_help_from_the_control_room() -> None:
    client = signed_in(member("police", "operator"))
    response = client.post("/control/alerts/new/", form_data())
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert alert.kind == "call_for_help" and alert.created_by is not None and alert.agency is not None
    assert [i.language for i in read_cap(alert.document.encode()).infos] == ["en", "nl"]
    page = client.get(response["Location"]).content.decode()
    assert "Have you seen a red cargo bike?" in page


@pytest.mark.parametrize(
    ("changes", "field_id"),
    [
        ({"expires": "2001-01-01T10:00"}, "id_expires"),
        ({"area_mode": "polygon", "area_code": "", "polygon": "45.0,7.0 45.1,7.0 45.1,7.1"}, "id_polygon"),
        ({"area_mode": "polygon", "area_code": "", "polygon": "fourty-five"}, "id_polygon"),
        ({"area_mode": "circle", "area_code": "", "circle_lat": "45"}, "id_circle_radius_km"),
        ({"headline_en": ""}, "id_headline_en"),
        ({"severity": "Apocalyptic"}, "id_severity"),
    ],
)
def test_the_form_names_the_field_at_fault(changes: dict[str, Any], field_id: str) -> None:
    client = signed_in(member("police", "operator"))
    response = client.post("/control/alerts/new/", form_data(**changes))
    assert response.status_code == 400
    assert f'id="{field_id}-error"' in response.content.decode()
    assert not Alert.objects.exists()


def test_update_and_cancel_from_the_control_room() -> None:
    client = signed_in(member("police", "supervisor"))
    client.post("/control/alerts/new/", form_data())
    first = Alert.objects.get()
    response = client.post(f"/control/alerts/{first.pk}/update/", form_data(severity="Severe"))
    assert response.status_code == 302
    update = Alert.objects.get(msg_type="Update")
    assert update.replaces == first and update.severity == "Severe"
    response = client.post(f"/control/alerts/{first.pk}/cancel/", {"note": "Found it, thank you!"})
    assert response.status_code == 302
    assert Alert.objects.get(msg_type="Cancel").replaces == update
    assert client.post(f"/control/alerts/{first.pk}/cancel/", {"note": ""}).status_code == 409


def test_the_edxl_envelope_carries_the_valid_cap_message() -> None:
    client = signed_in(member("police", "operator"))
    alert = alert_issue(draft=draft(status="Exercise"), by=None)
    response = client.get(f"/control/alerts/{alert.pk}/edxl.xml")
    assert response.status_code == 200
    assert validate_edxl_de(response.content) == []
    (inner,) = unwrap_edxl_de(response.content)
    assert read_cap(inner).identifier == alert.identifier
    assert b"<distributionStatus>Exercise</distributionStatus>" in response.content


@pytest.mark.parametrize("role", ["analyst", "case_worker"])
def test_roles_that_do_not_issue_warnings_are_refused(role: str) -> None:
    client = signed_in(member("police", role))
    assert client.get("/control/alerts/").status_code == 403
    assert client.post("/control/alerts/new/", form_data()).status_code == 403
    assert not Alert.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/control/alerts/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_json_api_lists_warnings_in_force_with_their_cap_url(client: Client) -> None:
    alert = alert_issue(draft=draft(), by=None)
    alert_issue(draft=draft(status="Exercise"), by=None)  # drills stay out of public lists
    response = client.get("/api/v1/alerts?lang=fr&area=D01")
    assert response.status_code == 200
    (entry,) = response.json()
    assert entry["identifier"] == alert.identifier and entry["language"] == "fr"
    assert entry["headline"] == "Vols de vélos autour de la gare"
    assert entry["cap_url"].endswith(f"/alerts/{alert.identifier}.xml") and "D01" in entry["areas"]


def test_the_json_api_names_a_bad_filter(client: Client) -> None:
    response = client.get("/api/v1/alerts?lang=xx&area=ZZ")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"lang", "area"}
