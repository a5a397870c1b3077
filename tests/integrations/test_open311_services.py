"""GET discovery, services and service definitions: only published, non-sensitive categories."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from streetlight.demo.seed import load_data
from streetlight.reports.models import Category

from .helpers import BASE, assert_xml_mirrors_json, both, document, get

pytestmark = pytest.mark.django_db


def published_codes() -> set[str]:
    """The demo catalog's Open311 categories, read from its data file, not through our code."""

    def walk(items: list[dict[str, Any]], parent_sensitive: bool) -> Iterator[str]:
        for item in items:
            sensitive = bool(item.get("sensitive", parent_sensitive))
            if item.get("open311") and not sensitive:
                yield item["code"]
            yield from walk(item.get("children", []), sensitive)

    return set(walk(load_data("categories.json"), False))


def test_discovery_points_at_this_endpoint_in_both_formats(client: Client) -> None:
    data = both(client, "discovery", "discovery")
    (endpoint,) = data["endpoints"]
    assert endpoint["url"] == f"http://testserver{BASE}"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_services_lists_exactly_the_published_categories(client: Client) -> None:
    data = both(client, "services", "services")
    codes = {s["service_code"] for s in data}
    assert codes == published_codes()
    assert "public-space-streetlight" in codes
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in data)


def test_services_never_lists_a_sensitive_category(client: Client) -> None:
    sensitive = set(Category.objects.filter(sensitive=True).values_list("code", flat=True))
    assert sensitive
    data = document(get(client, "services"), "services")
    assert not sensitive & {s["service_code"] for s in data}


def test_inactive_category_is_not_offered(client: Client) -> None:
    Category.objects.filter(code="public-space-vehicle").update(active=False)
    data = document(get(client, "services"), "services")
    assert "public-space-vehicle" not in {s["service_code"] for s in data}
    document(get(client, "services/public-space-vehicle"), "errors", 404)


def test_service_names_follow_the_locale_parameter(client: Client) -> None:
    english = {s["service_code"]: s for s in document(get(client, "services"), "services")}
    french = {s["service_code"]: s for s in document(get(client, "services", locale="fr_BE"), "services")}
    light = Category.objects.get(code="public-space-streetlight")
    assert english["public-space-streetlight"]["service_name"] == light.name("en")
    assert french["public-space-streetlight"]["service_name"] == light.name("fr")
    assert french["public-space-streetlight"]["service_name"] != light.name("en")
    assert french["public-space-streetlight"]["group"] == Category.objects.get(code="public-space").name("fr")


def test_service_names_follow_accept_language(client: Client) -> None:
    response = client.get(f"{BASE}services.json", headers={"accept-language": "nl-BE,nl;q=0.9"})
    data = document(response, "services")
    light = next(s for s in data if s["service_code"] == "public-space-streetlight")
    assert light["service_name"] == Category.objects.get(code="public-space-streetlight").name("nl")
    assert response["Content-Language"] == "nl"


def test_sub_categories_are_grouped_under_their_parent_and_carry_keywords(client: Client) -> None:
    data = {s["service_code"]: s for s in document(get(client, "services"), "services")}
    assert data["public-space-pavement"]["group"] == Category.objects.get(code="public-space").name("en")
    assert data["public-space"]["group"] is None
    assert "pothole" in data["public-space-pavement"]["keywords"]


def test_service_definition_has_no_attributes(client: Client) -> None:
    data = both(client, "services/public-space-pavement", "service-definition")
    assert data == {"service_code": "public-space-pavement", "attributes": []}


@pytest.mark.parametrize("code", ["gender-violence-domestic", "hate-verbal", "theft-bike", "no-such-thing"])
def test_service_definition_of_a_sensitive_unpublished_or_unknown_code_is_404(client: Client, code: str) -> None:
    errors = both(client, f"services/{code}", "errors", 404)
    assert errors[0]["code"] == 404
    assert errors[0]["description"].startswith("service_code: ")


def test_unknown_format_extension_is_404_in_open311_format(client: Client) -> None:
    response = client.get(f"{BASE}services.yaml")
    errors = document(response, "errors", 404)
    assert "yaml" in errors[0]["description"]


def test_unknown_resource_is_404_in_open311_format(client: Client) -> None:
    document(client.get(f"{BASE}nothing-here.json"), "errors", 404)
    assert_xml_mirrors_json(
        client.get(f"{BASE}nothing-here.xml"),
        json.loads(client.get(f"{BASE}nothing-here.json").content),
        "errors",
        404,
    )


def test_jurisdiction_id_is_accepted_and_ignored(client: Client) -> None:
    plain = document(get(client, "services"), "services")
    assert document(get(client, "services", jurisdiction_id="elsewhere.example"), "services") == plain


def test_wrong_method_is_405_with_allow(client: Client) -> None:
    response = client.post(f"{BASE}services.xml")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert b"<errors>" in response.content
