"""The resident's phone posts positions; the contacts' page shows the last one; bad values are
refused by field name, and an ended walk's links answer 410 Gone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from streetlight.companion.models import Position, Walk
from streetlight.companion.services import walk_finish

from .conftest import StartWalk

pytestmark = pytest.mark.django_db


def post(client: Client, token: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/walk/{token}/position", data, content_type="application/json")


def test_a_position_is_kept_encrypted_and_shown_to_the_contacts(client: Client, start_walk: StartWalk) -> None:
    started = start_walk()
    response = post(client, started.resident_token, {"lat": 45.07123, "lon": 7.68456, "accuracy": 12})
    assert response.status_code == 201
    assert response.json()["status"] == "active"
    with connection.cursor() as cursor:
        cursor.execute("SELECT lat, lon FROM companion_position")
        raw = cursor.fetchone()
    assert "45.07" not in raw[0] and "7.68" not in raw[1]
    state = client.get(f"/walk/watch/{started.watch_token}/state").json()
    assert state["position"]["lat"] == 45.07123 and state["position"]["accuracy"] == 12
    page = client.get(f"/walk/watch/{started.watch_token}/")
    html = page.content.decode()
    assert 'id="watch-map"' in html and "vendor/leaflet/leaflet.js" in html and "companion.js" in html
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, "body"),
        ([1, 2], 422, "body"),
        ({"lat": 91, "lon": 7.6}, 422, "lat"),
        ({"lat": 45.0, "lon": -181}, 422, "lon"),
        ({"lat": "45", "lon": 7.6}, 422, "lat"),
        ({"lat": True, "lon": 7.6}, 422, "lat"),
        ({"lon": 7.6}, 422, "lat"),
        ('{"lat": NaN, "lon": 7.6}', 422, "lat"),
        ({"lat": 45.0, "lon": 7.6, "accuracy": -3}, 422, "accuracy"),
    ],
)
def test_bad_positions_name_the_field(
    client: Client, start_walk: StartWalk, body: Any, status: int, field: str
) -> None:
    response = post(client, start_walk().resident_token, body)
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Position.objects.exists()


def test_unknown_tokens_are_404(client: Client, db: None) -> None:
    assert post(client, "nope", {"lat": 1, "lon": 1}).status_code == 404
    assert client.get("/walk/nope/").status_code == 404
    assert client.get("/walk/watch/nope/").status_code == 404
    assert client.get("/walk/watch/nope/state").status_code == 404


def test_the_contacts_link_cannot_steer_the_walk(client: Client, start_walk: StartWalk) -> None:
    started = start_walk()
    assert post(client, started.watch_token, {"lat": 1, "lon": 1}).status_code == 404
    assert client.post(f"/walk/{started.watch_token}/arrived").status_code == 404


def test_wrong_methods_are_405(client: Client, start_walk: StartWalk) -> None:
    token = start_walk().resident_token
    assert client.get(f"/walk/{token}/position").status_code == 405
    assert client.get(f"/walk/{token}/arrived").status_code == 405


def test_an_ended_walk_answers_410_everywhere(client: Client, start_walk: StartWalk) -> None:
    started = start_walk()
    walk_finish(walk=Walk.objects.get(), arrived=False)
    response = post(client, started.resident_token, {"lat": 45.0, "lon": 7.6})
    assert response.status_code == 410 and response.json()["walk_status"] == "ended"
    assert client.get(f"/walk/{started.resident_token}/").status_code == 410
    assert client.post(f"/walk/{started.resident_token}/alert", {"confirm": "yes"}).status_code == 410
    assert client.post(f"/walk/{started.resident_token}/extend").status_code == 410
    watch = client.get(f"/walk/watch/{started.watch_token}/")
    assert watch.status_code == 410 and "watch-map" not in watch.content.decode()
    assert client.get(f"/walk/watch/{started.watch_token}/state").status_code == 410


def test_check_in_from_the_page(client: Client, start_walk: StartWalk) -> None:
    started = start_walk()
    response = client.post(f"/walk/{started.resident_token}/arrived")
    assert response.status_code == 200 and "You have arrived" in response.content.decode()
    assert Walk.objects.get().status == "arrived"
    assert client.get(f"/walk/{started.resident_token}/").status_code == 410


def test_extend_adds_ten_minutes(client: Client, start_walk: StartWalk) -> None:
    started = start_walk()
    before = Walk.objects.get().expected_arrival
    response = client.post(f"/walk/{started.resident_token}/extend")
    assert response.status_code == 302 and response["Location"].endswith("?done=extended")
    assert (Walk.objects.get().expected_arrival - before).total_seconds() == 600


def test_extend_stops_at_the_longest_walk(client: Client, start_walk: StartWalk) -> None:
    started = start_walk(minutes=355)
    assert client.post(f"/walk/{started.resident_token}/extend").status_code == 302
    response = client.post(f"/walk/{started.resident_token}/extend")
    assert response.status_code == 409 and "at most 6 hours" in response.content.decode()


def test_the_privacy_page_states_the_delays(client: Client) -> None:
    html = client.get("/walk/privacy/").content.decode()
    assert "15 minutes later" in html and "24 hours" in html
