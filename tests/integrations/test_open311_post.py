"""POST requests: a report through the common intake, or errors naming each bad parameter."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from streetlight.audit.models import AuditEntry
from streetlight.integrations.models import Open311Client
from streetlight.reports.models import Report, ReportContact

from .helpers import assert_xml_mirrors_json, document, post

pytestmark = pytest.mark.django_db


def errors_of(client: Client, form: dict[str, Any], status: int = 400) -> list[str]:
    """Descriptions from the JSON answer, after checking the XML answer says the same."""
    data = document(post(client, "json", **form), "errors", status)
    assert {e["code"] for e in data} == {status}
    assert_xml_mirrors_json(post(client, "xml", **form), data, "errors", status)
    return [e["description"] for e in data]


def test_request_becomes_a_report_from_open311(client: Client, request_form: dict[str, Any]) -> None:
    data = document(post(client, **request_form), "created")
    report = Report.objects.get(reference=data[0]["service_request_id"])
    assert report.source == "open311"
    assert report.category.code == "public-space-streetlight"
    assert report.location_kind == "point"
    assert (report.lat, report.lon) == (float(request_form["lat"]), float(request_form["long"]))
    assert report.description == request_form["description"]
    assert data[0]["account_id"] is None and report.reference in data[0]["service_notice"]


def test_consent_is_city_only_and_contact_follows_the_given_details(
    client: Client, request_form: dict[str, Any]
) -> None:
    data = document(post(client, **request_form), "created")
    report = Report.objects.get(reference=data[0]["service_request_id"])
    assert report.recipients == ["city"]
    assert report.may_contact and report.public_statistics
    contact = ReportContact.objects.get(report=report)
    assert (contact.name, contact.email, contact.phone) == ("Ada Lovelace", "ada@example.org", "")


def test_without_email_or_phone_no_contact_is_kept(client: Client, request_form: dict[str, Any]) -> None:
    form = {k: v for k, v in request_form.items() if k != "email"}
    data = document(post(client, **form), "created")
    report = Report.objects.get(reference=data[0]["service_request_id"])
    assert not report.may_contact
    assert not ReportContact.objects.filter(report=report).exists()


def test_xml_answer_mirrors_json(client: Client, request_form: dict[str, Any]) -> None:
    response = post(client, "xml", **request_form)
    reference = Report.objects.get().reference
    expected = [
        {
            "service_request_id": reference,
            "service_notice": response.content.decode().split("<service_notice>")[1].split("<")[0],
            "account_id": None,
        }
    ]
    assert_xml_mirrors_json(response, expected, "created")


def test_address_alone_is_kept_without_a_point(client: Client, request_form: dict[str, Any]) -> None:
    form = {k: v for k, v in request_form.items() if k not in {"lat", "long"}}
    form["address_string"] = "Via Roma 12, Portavera"
    data = document(post(client, **form), "created")
    report = Report.objects.get(reference=data[0]["service_request_id"])
    assert report.location_kind == "none" and report.lat is None
    assert report.address == "Via Roma 12, Portavera"


def test_language_comes_from_locale(client: Client, request_form: dict[str, Any]) -> None:
    data = document(post(client, **request_form, locale="it_IT"), "created")
    assert Report.objects.get(reference=data[0]["service_request_id"]).language == "it"


def test_who_sent_it_is_audited(client: Client, request_form: dict[str, Any]) -> None:
    data = document(post(client, **request_form), "created")
    report = Report.objects.get(reference=data[0]["service_request_id"])
    entry = AuditEntry.objects.get(action="open311.request_submitted", target_id=str(report.pk))
    assert entry.actor_label == "open311:FixMyStreet test"


def test_the_api_key_may_come_in_the_query_string(client: Client, request_form: dict[str, Any]) -> None:
    form = dict(request_form)
    key = form.pop("api_key")
    response = client.post(f"/open311/v2/requests.json?api_key={key}", form)
    document(response, "created")


@pytest.mark.parametrize("key", ["wrong-key", ""])
def test_bad_or_missing_api_key_is_403(client: Client, request_form: dict[str, Any], key: str) -> None:
    descriptions = errors_of(client, {**request_form, "api_key": key}, 403)
    assert descriptions[0].startswith("api_key: ")
    assert not Report.objects.exists()


def test_revoked_api_key_is_403(client: Client, request_form: dict[str, Any]) -> None:
    Open311Client.objects.update(active=False)
    errors_of(client, request_form, 403)


def test_unknown_service_code_is_400(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "service_code": "potholes"}) == [
        "service_code: This service_code is not one of the services."
    ]


def test_missing_service_code_is_400(client: Client, request_form: dict[str, Any]) -> None:
    form = {k: v for k, v in request_form.items() if k != "service_code"}
    assert errors_of(client, form)[0].startswith("service_code: ")


@pytest.mark.parametrize("code", ["gender-violence-sexual", "harassment-following", "theft-bike"])
def test_sensitive_or_unpublished_service_code_is_refused(
    client: Client, request_form: dict[str, Any], code: str
) -> None:
    descriptions = errors_of(client, {**request_form, "service_code": code})
    assert descriptions == ["service_code: This service_code is not one of the services."]
    assert not Report.objects.exists()


def test_latitude_out_of_range_is_400(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "lat": "91"}) == [
        "lat: The latitude must be a number between -90 and 90."
    ]


def test_longitude_out_of_range_names_long(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "long": "-181"}) == [
        "long: The longitude must be a number between -180 and 180."
    ]


@pytest.mark.parametrize("value", ["north", "nan", "inf", "45,07"])
def test_latitude_that_is_not_a_number_is_400(client: Client, request_form: dict[str, Any], value: str) -> None:
    assert errors_of(client, {**request_form, "lat": value})[0].startswith("lat: ")


def test_point_outside_the_city_is_400(client: Client, request_form: dict[str, Any]) -> None:
    descriptions = errors_of(client, {**request_form, "lat": "0", "long": "0"})
    assert descriptions == ["lat: This place is outside Portavera. Move the pin inside the city."]


def test_empty_description_is_400(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "description": "   "}) == [
        "description: Describe what happened in a few words."
    ]


def test_description_over_4000_characters_is_400(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "description": "x" * 4001})[0].startswith("description: ")


def test_control_characters_are_refused_not_stored(client: Client, request_form: dict[str, Any]) -> None:
    assert errors_of(client, {**request_form, "description": "light out\x00"})[0].startswith("description: ")


def test_no_location_at_all_is_400(client: Client, request_form: dict[str, Any]) -> None:
    form = {k: v for k, v in request_form.items() if k not in {"lat", "long"}}
    assert errors_of(client, form) == ["lat: Say where: send lat and long, or address_string."]


def test_lat_without_long_names_long(client: Client, request_form: dict[str, Any]) -> None:
    form = {k: v for k, v in request_form.items() if k != "long"}
    assert errors_of(client, form) == ["long: Send lat and long together."]


def test_bad_email_and_phone_name_their_parameters(client: Client, request_form: dict[str, Any]) -> None:
    descriptions = errors_of(client, {**request_form, "email": "not-an-address", "phone": "call me"})
    assert sorted(d.split(":")[0] for d in descriptions) == ["email", "phone"]


def test_every_bad_parameter_gets_its_own_error(client: Client, request_form: dict[str, Any]) -> None:
    form = {**request_form, "service_code": "nope", "lat": "x", "long": "200", "description": ""}
    descriptions = errors_of(client, form)
    assert sorted(d.split(":")[0] for d in descriptions) == ["description", "lat", "long", "service_code"]


def test_errors_are_answered_in_the_request_language(client: Client, request_form: dict[str, Any]) -> None:
    response = post(client, **{**request_form, "description": "", "locale": "fr"})
    document(response, "errors", 400)
    assert response["Content-Language"] == "fr"


def test_rate_limit_answers_429_in_open311_format(
    client: Client, request_form: dict[str, Any], settings: Settings
) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "2/m"}
    for _ in range(2):
        document(post(client, **request_form), "created")
    response = post(client, **request_form)
    data = document(response, "errors", 429)
    assert int(response["Retry-After"]) >= 1
    assert data[0]["code"] == 429
    assert Report.objects.count() == 2


def test_body_that_is_not_a_form_is_a_400_not_a_500(client: Client, request_form: dict[str, Any]) -> None:
    response = client.post("/open311/v2/requests.json", json.dumps(request_form), content_type="application/json")
    data = document(response, "errors", 403)  # no api_key can be read from a JSON body
    assert data[0]["description"].startswith("api_key: ")


def test_clients_need_no_csrf_token(request_form: dict[str, Any]) -> None:
    """Open311 clients are programs posting forms with an api_key, not browsers with a session."""
    strict = Client(enforce_csrf_checks=True)
    document(post(strict, **request_form), "created")
