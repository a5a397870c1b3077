"""The resident pages without JavaScript: a plain form post works end to end, errors name fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from streetlight.reports.models import Report

from .helpers import web_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data(city_point: tuple[float, float]) -> dict[str, Any]:
    return web_form(city_point)


def test_form_post_creates_report_and_shows_guidance(client: Client, form_data: dict[str, Any]) -> None:
    resp = client.post("/report/", form_data, follow=True)
    assert resp.status_code == 200
    report = Report.objects.get()
    assert (report.share_victim_support, report.share_city, report.share_police) == (True, True, False)
    page = resp.content.decode()
    assert report.reference in page
    assert "/f/" in page
    assert "What you can do now" in page


def test_double_post_with_same_key_makes_one_report(client: Client, form_data: dict[str, Any]) -> None:
    client.post("/report/", form_data)
    client.post("/report/", form_data)
    assert Report.objects.count() == 1


def test_missing_consent_choice_is_named_in_the_error_summary(client: Client, form_data: dict[str, Any]) -> None:
    form_data.pop("recipients")
    resp = client.post("/report/", form_data)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_recipients_0"' in page
    assert Report.objects.count() == 0


def test_statistics_only_cannot_be_combined(client: Client, form_data: dict[str, Any]) -> None:
    form_data["recipients"] = ["none", "police"]
    assert client.post("/report/", form_data).status_code == 400


def test_service_errors_land_on_their_field(client: Client, form_data: dict[str, Any]) -> None:
    form_data.update(lat="48.8566", lon="2.3522")
    resp = client.post("/report/", form_data)
    assert resp.status_code == 400
    assert 'href="#id_lat"' in resp.content.decode()


def test_errors_are_in_the_users_language(client: Client, form_data: dict[str, Any]) -> None:
    form_data["description"] = ""
    resp = client.post("/report/", form_data, headers={"Accept-Language": "fr"})
    assert resp.status_code == 400
    assert 'lang="fr"' in resp.content.decode()
    assert "Describe what happened" not in resp.content.decode()


def test_form_keeps_what_was_typed_after_an_error(client: Client, form_data: dict[str, Any]) -> None:
    form_data["recipients"] = []
    resp = client.post("/report/", form_data)
    assert "A man followed me and shouted at me near the bus stop." in resp.content.decode()


def test_unsafe_report_in_two_taps(client: Client, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    resp = client.post(
        "/unsafe/",
        {
            "location_kind": "point",
            "lat": lat,
            "lon": lon,
            "day_night": "night",
            "safety_score": "2",
            "reasons": ["lighting"],
            "idempotency_key": "unsafe-key-0001",
        },
        follow=True,
    )
    assert resp.status_code == 200
    report = Report.objects.get()
    assert (report.kind, report.safety_score, report.day_night, report.unsafe_reasons) == (
        "feeling",
        2,
        "night",
        ["lighting"],
    )
    assert report.statistics_only


def test_unsafe_report_needs_a_place(client: Client) -> None:
    resp = client.post("/unsafe/", {"location_kind": "point", "day_night": "day", "safety_score": "1"})
    assert resp.status_code == 400
    assert Report.objects.count() == 0


def test_followup_page_by_token(client: Client, form_data: dict[str, Any]) -> None:
    client.post("/report/", form_data)
    token = client.session["last_report"]["token"]
    page = client.get(f"/f/{token}/")
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "strict-origin"
    resp = client.post(f"/f/{token}/", {"body": "He had a blue jacket."}, follow=True)
    assert "He had a blue jacket." in resp.content.decode()


def test_unknown_followup_token_is_404(client: Client) -> None:
    assert client.get("/f/not-a-real-token/").status_code == 404


def test_followup_lookup_accepts_the_whole_link(client: Client, form_data: dict[str, Any]) -> None:
    client.post("/report/", form_data)
    token = client.session["last_report"]["token"]
    resp = client.post("/followup/", {"token": f"http://testserver/f/{token}/"})
    assert resp.status_code == 302 and resp["Location"] == f"/f/{token}/"


@pytest.mark.parametrize("path", ["/", "/report/", "/unsafe/", "/followup/"])
def test_pages_render(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_pages_follow_accept_language(client: Client) -> None:
    assert 'lang="nl"' in client.get("/", headers={"Accept-Language": "nl"}).content.decode()


def test_web_rate_limit_explains_and_keeps_nothing(client: Client, form_data: dict[str, Any], settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "1/1h"}
    assert client.post("/report/", form_data).status_code == 302
    resp = client.post("/report/", {**form_data, "idempotency_key": "another-key-0002"})
    assert resp.status_code == 429
    assert "Retry-After" in resp
    assert "Too many reports" in resp.content.decode()
    assert Report.objects.count() == 1


def test_api_docs_are_served_locally(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn." not in page.content.decode()


def test_followup_page_offers_rating_and_reopen_once_resolved(client: Client, form_data: dict[str, Any]) -> None:
    from streetlight.reports.services import report_transition

    client.post("/report/", form_data)
    token = client.session["last_report"]["token"]
    report = Report.objects.get()
    assert "Did we help?" not in client.get(f"/f/{token}/").content.decode()
    report_transition(report=report, to_status="resolved", actor=None)
    page = client.get(f"/f/{token}/").content.decode()
    assert "Did we help?" in page and "Reopen my report" in page
    assert client.post(f"/f/{token}/rate/", {"score": "5"}).status_code == 302
    assert report.feedback.get().score == 5
    assert client.post(f"/f/{token}/reopen/", {"reason": ""}).status_code == 400
    assert client.post(f"/f/{token}/reopen/", {"reason": "He came back"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "reopened"


def test_missing_description_and_recipients_are_reported_together(client: Client, form_data: dict[str, Any]) -> None:
    form_data.update(description="", recipients=[])
    page = client.post("/report/", form_data).content.decode()
    assert 'href="#id_description"' in page and 'href="#id_recipients_0"' in page


def test_missing_category_says_what_to_do(client: Client, form_data: dict[str, Any]) -> None:
    form_data.pop("category")
    assert "Choose what happened from the list." in client.post("/report/", form_data).content.decode()
