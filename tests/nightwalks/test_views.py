"""The resident pages and the organisers' screens over HTTP: bad input gets the field's message and
a 4xx, never a 500; only organisers reach the organise screens."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from streetlight.nightwalks.models import AuditPhoto, SafetyWalk, WalkAudit
from streetlight.nightwalks.services import CreatedWalk
from streetlight.routing.models import Agency
from tests import staff
from tests.staff import signed_in

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def form_data(points: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "points-TOTAL_FORMS": str(len(points)),
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "1",
        "points-MAX_NUM_FORMS": "40",
        "idempotency_key": "",
        "comment": "",
        **extra,
    }
    for n, p in enumerate(points):
        data.update({f"points-{n}-{k}": v for k, v in p.items()})
    return data


def here(city_point: tuple[float, float], **ratings: Any) -> dict[str, Any]:
    return {"lat": str(city_point[0]), "lon": str(city_point[1]), "feeling": "1", **ratings}


def test_the_pages_render(client: Client) -> None:
    for path in ("/safety-walks/", "/safety-walks/audit/", "/safety-walks/join/", "/safety-walks/map/"):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/safety-walks/audit/").content.decode()
    assert 'name="points-0-feeling"' in page and "Not rated" in page and "0 · No light" in page
    assert client.get("/safety-walks/thanks/").status_code == 302  # nothing sent yet


def test_an_audit_is_sent_and_thanked(client: Client, city_point: tuple[float, float]) -> None:
    photo = SimpleUploadedFile("street.jpg", jpeg_with_gps(), content_type="image/jpeg")
    data = form_data(
        [here(city_point, lighting="0", comment="Broken lamp", photos=photo), here(city_point, feeling="3")],
        comment="On my way home",
    )
    response = client.post("/safety-walks/audit/", data)
    assert response.status_code == 302 and response["Location"] == "/safety-walks/thanks/"
    audit = WalkAudit.objects.get()
    assert audit.points.count() == 2 and audit.comment == "On my way home"
    assert AuditPhoto.objects.filter(point__audit=audit).count() == 1
    assert "You rated 2 places" in client.get("/safety-walks/thanks/").content.decode()


def test_an_added_blank_point_is_not_a_point(client: Client, city_point: tuple[float, float]) -> None:
    response = client.post("/safety-walks/audit/", form_data([here(city_point), {"lighting": "", "comment": ""}]))
    assert response.status_code == 302
    assert WalkAudit.objects.get().points.count() == 1


@pytest.mark.parametrize(
    ("point", "field", "message"),
    [
        ({"feeling": "7"}, "points-0-feeling", "Choose one of the ratings from 0 to 3."),
        ({"feeling": ""}, "points-0-feeling", "Say how safe you feel here"),
        ({"lighting": "-1"}, "points-0-lighting", "Choose one of the ratings from 0 to 3."),
        ({"lat": "abc"}, "points-0-lat", "Enter a number."),
        ({"lat": "0", "lon": "0"}, "points-0-lat", "outside Portavera"),
        ({"lat": "", "lon": ""}, "points-0-lat", "Put a pin on the map"),
        ({"lon": "500"}, "points-0-lon", "between -180 and 180"),
    ],
)
def test_a_bad_rating_or_place_is_a_400_naming_the_field(
    client: Client, city_point: tuple[float, float], point: dict[str, str], field: str, message: str
) -> None:
    response = client.post("/safety-walks/audit/", form_data([{**here(city_point), **point}]))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f'id="id_{field}-error"' in page and message in page and 'id="error-summary"' in page
    assert WalkAudit.objects.count() == 0


def test_a_tampered_formset_is_a_400_not_a_500(client: Client, city_point: tuple[float, float]) -> None:
    data = form_data([here(city_point)])
    del data["points-TOTAL_FORMS"]
    assert client.post("/safety-walks/audit/", data).status_code == 400
    assert (
        client.post("/safety-walks/audit/", {**form_data([here(city_point)]), "points-TOTAL_FORMS": "9999"}).status_code
        == 400
    )


def test_add_another_point_without_javascript_keeps_what_was_typed(
    client: Client, city_point: tuple[float, float]
) -> None:
    response = client.post("/safety-walks/audit/", form_data([here(city_point, lighting="2")], add_point="1"))
    page = response.content.decode()
    assert response.status_code == 200 and "Please check" not in page
    assert 'name="points-1-feeling"' in page and 'name="points-2-feeling"' not in page
    assert 'id="id_points-0-lighting_3" checked' in page or 'value="2" id="id_points-0-lighting_3"' in page


def test_joining_a_walk_by_code_and_by_link(client: Client, walk: CreatedWalk, city_point: tuple[float, float]) -> None:
    response = client.post("/safety-walks/join/", {"code": walk.code.lower()})
    bare = walk.code.replace("-", "")
    assert response.status_code == 302 and response["Location"] == f"/safety-walks/w/{bare}/"
    page = client.get(f"/safety-walks/w/{walk.code}/")
    assert page.status_code == 200 and "Station underpass at night" in page.content.decode()
    assert client.post(f"/safety-walks/w/{bare}/", form_data([here(city_point)])).status_code == 302
    assert WalkAudit.objects.get().walk_id == walk.walk.pk


def test_a_wrong_or_closed_code_is_named(client: Client, walk: CreatedWalk, organiser: Any) -> None:
    response = client.post("/safety-walks/join/", {"code": "NOPE-NOPE"})
    assert response.status_code == 400 and "We don't know this code" in html.unescape(response.content.decode())
    assert 'id="id_code-error"' in response.content.decode()
    assert client.post("/safety-walks/join/", {"code": ""}).status_code == 400
    assert client.get("/safety-walks/w/NOPE-NOPE/").status_code == 404
    signed_in(organiser).post(f"/safety-walks/organise/{walk.walk.pk}/close/")
    assert client.get(f"/safety-walks/w/{walk.code}/").status_code == 410
    closed = client.post("/safety-walks/join/", {"code": walk.code})
    assert closed.status_code == 400 and "This walk is closed" in closed.content.decode()


def test_only_organisers_reach_the_organise_screens(client: Client, walk: CreatedWalk) -> None:
    paths = ("/safety-walks/organise/", f"/safety-walks/organise/{walk.walk.pk}/")
    others = [signed_in(staff.member("police", role)) for role in ("analyst", "case_worker")]
    for path in paths:
        assert client.get(path).status_code == 302  # to the sign-in page
        assert all(other.get(path).status_code == 403 for other in others)
    assert client.post(f"/safety-walks/organise/{walk.walk.pk}/close/").status_code == 302
    other = signed_in(staff.member("victim-support", "supervisor"))
    assert other.get(paths[0]).status_code == 200
    assert other.get(paths[1]).status_code == 404  # another agency's walk: same answer as none
    assert other.post(f"/safety-walks/organise/{walk.walk.pk}/close/").status_code == 404
    admin = signed_in(staff.member("city-safety", "city_admin"))
    assert admin.get(paths[1]).status_code == 200


def test_an_organiser_creates_a_walk_and_sees_its_summary(
    organiser: Any, client: Client, city_point: tuple[float, float]
) -> None:
    desk = signed_in(organiser)
    police = Agency.objects.get(code="police")
    start = timezone.localtime() + timedelta(hours=2)
    response = desk.post(
        "/safety-walks/organise/",
        {"title": "Park path", "agency": str(police.pk), "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "route": ""},
    )
    walk = SafetyWalk.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/safety-walks/organise/{walk.pk}/"
    summary = desk.get(response["Location"]).content.decode()
    code = summary.split('class="nw-code">')[1].split("<")[0]
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    sent = client.post(
        f"/safety-walks/w/{code}/", form_data([here(city_point, feeling="0", lighting="1", photos=photo)])
    )
    assert sent.status_code == 302
    page = desk.get(f"/safety-walks/organise/{walk.pk}/")
    text = page.content.decode()
    assert '<dd id="participants">1</dd>' in text and '<dd id="points">1</dd>' in text
    photo_row = AuditPhoto.objects.get()
    image = desk.get(f"/safety-walks/organise/{walk.pk}/photos/{photo_row.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert client.get(f"/safety-walks/organise/{walk.pk}/photos/{photo_row.pk}/").status_code == 302
    assert desk.post(f"/safety-walks/organise/{walk.pk}/close/").status_code == 302
    walk.refresh_from_db()
    assert walk.status == "closed"


def test_a_bad_walk_names_its_fields(organiser: Any) -> None:
    desk = signed_in(organiser)
    other = Agency.objects.exclude(code="police").first()
    assert other is not None
    response = desk.post(
        "/safety-walks/organise/",
        {"title": "", "agency": str(other.pk), "starts_at": "tomorrow", "route": "{not json"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("title", "agency", "starts_at", "route"):
        assert f'id="id_{field}-error"' in page, field
    assert "not valid JSON" in page
    assert SafetyWalk.objects.count() == 0
