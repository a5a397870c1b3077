"""The needs assessment at intake: optional and short, the same rules on the web form and the API,
each unknown answer named, and the answers stored encrypted like the victim's own words."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, get_args

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from streetlight.core import crypto
from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.enums import Need
from streetlight.reports.models import Report
from streetlight.reports.schemas import NeedCode
from streetlight.reports.services import report_submit
from tests.reports.helpers import web_form

from .conftest import FileReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data(city_point: tuple[float, float]) -> dict[str, Any]:
    return web_form(
        city_point,
        category="theft-bike",
        description="Someone cut the lock of my bike at the station rack.",
        recipients=["victim_support"],
        idempotency_key="needs-form-key-0001",
    )


def post_api(body: dict[str, Any]) -> Any:
    return Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")


def problem_fields(resp: Any) -> dict[str, str]:
    return {e["field"]: e["detail"] for e in resp.json()["errors"]}


def raw_column(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM reports_report WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return str(cursor.fetchone()[0])


def test_the_api_schema_lists_every_need() -> None:
    assert list(get_args(NeedCode)) == Need.values


def test_api_stores_the_needs_in_the_order_people_see_them(file_report: FileReport) -> None:
    report, _body = file_report(needs=["interpreter", "someone_to_talk_to", "interpreter"], language=" Arabic ")
    report.refresh_from_db()
    assert report.needs == ["someone_to_talk_to", "interpreter"]
    assert report.interpreter_language == "Arabic"


def test_needs_are_encrypted_at_rest(file_report: FileReport) -> None:
    report, _body = file_report(needs=["safe_place"], language="")
    for column in ("needs",):
        stored = raw_column(column, report.pk)
        assert crypto.is_encrypted(stored) and "safe_place" not in stored
    report, _body = file_report(needs=["interpreter"], language="Tigrinya")
    stored = raw_column("interpreter_language", report.pk)
    assert crypto.is_encrypted(stored) and "Tigrinya" not in stored


def test_no_needs_is_the_default_and_stores_nothing(report_json: dict[str, Any]) -> None:
    resp = post_api(report_json)
    assert resp.status_code == 201
    report = Report.objects.get(reference=resp.json()["reference"])
    assert report.needs == [] and report.interpreter_language == ""
    assert raw_column("needs", report.pk) == ""


def test_api_unknown_need_is_refused_naming_the_field(report_json: dict[str, Any]) -> None:
    resp = post_api({**report_json, "needs": ["medical", "a_lift_home"]})
    assert resp.status_code == 422
    fields = problem_fields(resp)
    assert list(fields) == ["needs.1"]
    assert "someone_to_talk_to" in fields["needs.1"]
    assert not Report.objects.exists()


def test_api_needs_must_be_a_list(report_json: dict[str, Any]) -> None:
    resp = post_api({**report_json, "needs": "medical"})
    assert resp.status_code == 422
    assert "needs" in problem_fields(resp)


def test_api_language_without_interpreter_is_refused(report_json: dict[str, Any]) -> None:
    resp = post_api({**report_json, "needs": ["medical"], "interpreter_language": "Polish"})
    assert resp.status_code == 422
    assert list(problem_fields(resp)) == ["interpreter_language"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("language", ["x" * 61, "Ara\x00bic"])
def test_api_bad_language_is_named(report_json: dict[str, Any], language: str) -> None:
    resp = post_api({**report_json, "needs": ["interpreter"], "interpreter_language": language})
    assert resp.status_code == 422
    assert list(problem_fields(resp)) == ["interpreter_language"]


def test_a_retry_with_the_same_needs_is_the_same_report(report_json: dict[str, Any]) -> None:
    def send(needs: list[str]) -> Any:
        body = json.dumps({**report_json, "needs": needs})
        return Client().post(
            "/api/v1/reports", data=body, content_type="application/json", headers={"Idempotency-Key": "needs-0001"}
        )

    first, again, other = send(["medical"]), send(["medical"]), send(["legal_advice"])
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert first.json()["reference"] == again.json()["reference"]


def test_needs_cost_no_extra_query(city_point: tuple[float, float]) -> None:
    """The answers are two columns of the report row: asking for help adds no query to intake."""
    base = ReportDraft(
        category="theft-bike",
        description="My bike was stolen.",
        location="point",
        lat=city_point[0],
        lon=city_point[1],
        consent=Consent(
            police=False, victim_support=True, social_services=False, city=False, contact=False, public_statistics=True
        ),
    )
    report_submit(draft=base, source="api")  # warm the area index and the catalog caches
    with CaptureQueriesContext(connection) as without:
        report_submit(draft=base, source="api")
    with CaptureQueriesContext(connection) as with_needs:
        draft = replace(base, needs=("someone_to_talk_to", "interpreter"), interpreter_language="Farsi")
        report_submit(draft=draft, source="api")
    assert len(with_needs.captured_queries) == len(without.captured_queries)


def test_web_form_offers_the_needs_as_an_optional_fieldset(client: Client) -> None:
    page = client.get("/report/").content.decode()
    assert '<fieldset class="needs" id="needs">' in page
    assert "Would you like help? (optional)" in page
    for code in Need.values:
        assert f'value="{code}"' in page
    assert 'name="interpreter_language"' in page


def test_web_form_stores_ticked_needs(client: Client, form_data: dict[str, Any]) -> None:
    form_data |= {"needs": ["someone_to_talk_to", "interpreter"], "interpreter_language": "Ukrainian"}
    assert client.post("/report/", form_data).status_code == 302
    report = Report.objects.get()
    assert (report.needs, report.interpreter_language) == (["someone_to_talk_to", "interpreter"], "Ukrainian")


def test_web_form_can_skip_the_needs(client: Client, form_data: dict[str, Any]) -> None:
    assert client.post("/report/", form_data).status_code == 302
    assert Report.objects.get().needs == []


def test_web_form_unknown_need_is_named(client: Client, form_data: dict[str, Any]) -> None:
    form_data["needs"] = ["someone_to_talk_to", "a_lift_home"]
    resp = client.post("/report/", form_data)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'href="#id_needs_0"' in page and 'id="id_needs-error"' in page
    assert not Report.objects.exists()


def test_web_form_language_without_interpreter_lands_on_the_language_field(
    client: Client, form_data: dict[str, Any]
) -> None:
    form_data |= {"needs": ["medical"], "interpreter_language": "Polish"}
    resp = client.post("/report/", form_data)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'id="id_interpreter_language-error"' in page and "tick “An interpreter”" in page
    assert 'value="Polish"' in page  # what was typed is kept
    assert not Report.objects.exists()


def test_unsafe_form_takes_needs_too(client: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    data = {
        "location_kind": "point",
        "lat": lat,
        "lon": lon,
        "day_night": "night",
        "safety_score": "1",
        "needs": ["someone_to_talk_to"],
        "idempotency_key": "unsafe-needs-0001",
    }
    resp = client.post("/unsafe/", data, follow=True)
    assert resp.status_code == 200
    report = Report.objects.get()
    assert report.needs == ["someone_to_talk_to"] and report.statistics_only
    assert "Portavera listening line" in resp.content.decode()
