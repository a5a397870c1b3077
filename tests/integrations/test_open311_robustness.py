"""Whatever a client sends, the answer is an Open311 document or error, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import BASE, document

pytestmark = pytest.mark.django_db

NAMES = [
    "service_request_id",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "page",
    "page_size",
    "locale",
    "jurisdiction_id",
    "api_key",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "email",
    "phone",
    "first_name",
    "last_name",
    "media_url",
    "attribute[x]",
]
# Every character, including NUL and lone surrogates' neighbours, which PostgreSQL and XML refuse.
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "open", "2026-01-01T00:00:00Z", "\x00", "a\x00b", " "]),
)
PARAMS = st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(response: Any) -> None:
    assert response.status_code in {200, 400, 403, 404, 429}, response.content
    if response["Content-Type"].startswith("application/json"):
        data = json.loads(response.content)
        if response.status_code >= 400:
            document(response, "errors", response.status_code)
        else:
            assert isinstance(data, (list, dict))


@FUZZ
@given(params=PARAMS, fmt=st.sampled_from(["json", "xml"]))
def test_get_requests_with_any_parameters(client: Client, params: dict[str, str], fmt: str) -> None:
    _check(client.get(f"{BASE}requests.{fmt}", params))


@FUZZ
@given(params=PARAMS)
def test_get_updates_with_any_parameters(client: Client, params: dict[str, str]) -> None:
    _check(client.get(f"{BASE}servicerequestupdates.json", params))


@FUZZ
@given(params=PARAMS)
def test_post_requests_with_any_parameters(client: Client, api_key: str, params: dict[str, str]) -> None:
    _check(client.post(f"{BASE}requests.json", {"api_key": api_key, **params}))


@pytest.mark.parametrize(
    "path",
    [
        "requests/SL-%00.json",
        "services/%00.xml",
        "services/a%0A.json",
        "requests/" + "x" * 300 + ".json",
        "tokens/%F0%9F%92%A9.json",
        "services/theft-bike.json.json",
    ],
)
def test_odd_paths_are_404_in_open311_format(client: Client, path: str) -> None:
    response = client.get(BASE + path)
    assert response.status_code == 404, response.content


def test_too_many_fields_is_a_400_in_open311_format(client: Client, api_key: str) -> None:
    body = "&".join(f"f{i}=x" for i in range(1200))
    response = client.post(f"{BASE}requests.json", body, content_type="application/x-www-form-urlencoded")
    document(response, "errors", 400)
