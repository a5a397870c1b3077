"""The shipped demo data: districts that tile Portavera, a complete five-language category tree,
and the support services the categories point frightened people to."""

from __future__ import annotations

import json
import re
import string
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape

DATA = Path(__file__).resolve().parents[2] / "src" / "streetlight" / "demo" / "data"
LANGS = ("en", "fr", "nl", "it", "es")
MAIN_CODES = {
    "hate",
    "harassment",
    "gender-violence",
    "cyber-business",
    "theft",
    "violence",
    "nuisance",
    "unsafe",
    "public-space",
}
REQUIRED_SERVICES = {
    "emergency",
    "eu-victim-helpline",
    "children-helpline",
    "victim-support-portavera",
    "violence-women-line",
    "lgbt-hate-support",
    "cyber-business-desk",
    "legal-aid",
    "police-non-emergency",
}
REAL_NUMBERS = {"emergency": "112", "eu-victim-helpline": "116 006", "children-helpline": "116 111"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _load(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as fh:
        return json.load(fh)


DISTRICTS: dict[str, Any] = _load("districts.geojson")
CATEGORIES: list[dict[str, Any]] = _load("categories.json")
SERVICES: list[dict[str, Any]] = _load("support_services.json")
PHRASES: dict[str, Any] = _load("description_phrases.json")
ALL_CATEGORIES: list[dict[str, Any]] = [c for main in CATEGORIES for c in [main, *main.get("children", [])]]
FEATURES: list[dict[str, Any]] = DISTRICTS["features"]


def _exterior(feature: dict[str, Any]) -> list[list[float]]:
    ring: list[list[float]] = feature["geometry"]["coordinates"][0]
    return ring


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?…](?:\s|$)", text))


# ------------------------------------------------------------------------------------ districts


def test_there_are_eight_districts_coded_d01_to_d08() -> None:
    assert DISTRICTS["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in FEATURES] == [f"D{i:02d}" for i in range(1, 9)]


def test_district_properties_have_the_documented_types() -> None:
    for feature in FEATURES:
        props = feature["properties"]
        assert props["level"] == "district"
        assert isinstance(props["name"], str) and props["name"]
        assert isinstance(props["population"], int) and props["population"] > 0
        assert 0.0 <= props["nightlife"] <= 1.0


def test_district_names_are_unique() -> None:
    names = [f["properties"]["name"] for f in FEATURES]
    assert len(set(names)) == len(names)


def test_population_adds_up_to_about_400000() -> None:
    total = sum(f["properties"]["population"] for f in FEATURES)
    assert 390_000 <= total <= 410_000


def test_centro_storico_and_porto_vecchio_have_the_most_nightlife() -> None:
    by_nightlife = sorted(FEATURES, key=lambda f: f["properties"]["nightlife"], reverse=True)
    assert {f["properties"]["name"] for f in by_nightlife[:2]} == {"Centro Storico", "Porto Vecchio"}


def test_district_rings_are_closed() -> None:
    for feature in FEATURES:
        for ring in feature["geometry"]["coordinates"]:
            assert ring[0] == ring[-1], feature["properties"]["code"]


def test_exterior_rings_are_counter_clockwise() -> None:
    for feature in FEATURES:
        assert _signed_area(_exterior(feature)) > 0, feature["properties"]["code"]


def test_each_district_has_8_to_16_vertices() -> None:
    for feature in FEATURES:
        vertices = {tuple(p) for p in _exterior(feature)}
        assert 8 <= len(vertices) <= 16, feature["properties"]["code"]
        assert len(vertices) == len(_exterior(feature)) - 1  # no vertex repeated except the closing one


def test_coordinates_have_at_most_six_decimals() -> None:
    for feature in FEATURES:
        for lon, lat in _exterior(feature):
            assert round(lon, 6) == lon and round(lat, 6) == lat


def test_districts_are_valid_simple_polygons() -> None:
    for feature in FEATURES:
        polygon = shape(feature["geometry"])
        assert polygon.geom_type == "Polygon"
        assert polygon.is_valid, feature["properties"]["code"]


def test_districts_do_not_overlap() -> None:
    polygons = [shape(f["geometry"]) for f in FEATURES]
    smallest = min(p.area for p in polygons)
    for a, b in combinations(polygons, 2):
        assert a.intersection(b).area < 1e-9 * smallest


def test_districts_leave_no_gaps() -> None:
    union = shapely.union_all([shape(f["geometry"]) for f in FEATURES])
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


def test_neighbours_share_exact_vertices_on_common_borders() -> None:
    """A vertex of one district lying on another's border must be a vertex of that one too,
    otherwise the two borders only meet by floating-point luck (a T-junction)."""
    for a, b in combinations(FEATURES, 2):
        b_boundary = shape(b["geometry"]).exterior
        b_vertices = {tuple(p) for p in _exterior(b)}
        for vertex in _exterior(a):
            if b_boundary.distance(Point(vertex)) < 1e-9:
                assert tuple(vertex) in b_vertices, (a["properties"]["code"], b["properties"]["code"], vertex)


def test_the_city_covers_about_9_by_7_km_around_its_centre() -> None:
    min_lon, min_lat, max_lon, max_lat = shapely.union_all([shape(f["geometry"]) for f in FEATURES]).bounds
    width_km = (max_lon - min_lon) * 111.32 * 0.7067  # cos(45.07°)
    height_km = (max_lat - min_lat) * 111.13
    assert 8.0 <= width_km <= 11.0
    assert 6.0 <= height_km <= 9.0
    assert min_lon < 7.680 < max_lon and min_lat < 45.070 < max_lat


# ----------------------------------------------------------------------------------- categories


def test_main_categories_are_the_nine_expected_ones() -> None:
    assert {c["code"] for c in CATEGORIES} == MAIN_CODES


def test_every_category_code_is_unique() -> None:
    codes = [c["code"] for c in ALL_CATEGORIES]
    assert len(codes) == len(set(codes))


def test_sub_category_codes_start_with_their_main_code() -> None:
    for main in CATEGORIES:
        assert main["children"], main["code"]
        for child in main["children"]:
            assert child["code"].startswith(main["code"] + "-")
            assert "children" not in child


def test_orders_are_unique_among_siblings() -> None:
    for siblings in [CATEGORIES, *(m["children"] for m in CATEGORIES)]:
        orders = [c["order"] for c in siblings]
        assert all(isinstance(o, int) for o in orders)
        assert len(orders) == len(set(orders))


@pytest.mark.parametrize("category", ALL_CATEGORIES, ids=lambda c: c["code"])
def test_category_has_the_documented_keys_and_types(category: dict[str, Any]) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", category["code"])
    assert category["kind"] in {"crime", "incident", "feeling", "cyber"}
    assert isinstance(category["sensitive"], bool)
    assert isinstance(category["open311"], bool)
    assert isinstance(category["support"], list)


def test_sub_categories_inherit_kind_except_unwanted_touching() -> None:
    for main in CATEGORIES:
        for child in main["children"]:
            expected = "crime" if child["code"] == "harassment-touching" else main["kind"]
            assert child["kind"] == expected, child["code"]


def test_hate_harassment_and_gender_violence_are_sensitive() -> None:
    sensitive = {c["code"] for c in CATEGORIES if c["sensitive"]}
    assert sensitive == {"hate", "harassment", "gender-violence"}


def test_children_of_sensitive_categories_are_sensitive() -> None:
    for main in CATEGORIES:
        if main["sensitive"]:
            assert all(child["sensitive"] for child in main["children"]), main["code"]


@pytest.mark.parametrize("category", ALL_CATEGORIES, ids=lambda c: c["code"])
def test_sensitive_categories_are_never_listed_through_open311(category: dict[str, Any]) -> None:
    if category["sensitive"]:
        assert category["open311"] is False


def test_street_problems_are_listed_through_open311() -> None:
    public_space = next(c for c in CATEGORIES if c["code"] == "public-space")
    assert public_space["open311"] and all(c["open311"] for c in public_space["children"])


@pytest.mark.parametrize("category", ALL_CATEGORIES, ids=lambda c: c["code"])
def test_category_is_fully_written_in_five_languages(category: dict[str, Any]) -> None:
    assert set(category["i18n"]) == set(LANGS)
    for lang in LANGS:
        text = category["i18n"][lang]
        assert text["name"].strip(), lang
        assert text["help"].strip(), lang
        assert 2 <= len(text["guidance_now"]) <= 5, lang
        assert all(step.strip() for step in text["guidance_now"]), lang
        assert 1 <= _sentences(text["rights"]) <= 3, lang
        assert 3 <= len(text["keywords"]) <= 8, lang
        assert all(k.strip() for k in text["keywords"]), lang


@pytest.mark.parametrize("category", ALL_CATEGORIES, ids=lambda c: c["code"])
def test_category_help_is_one_sentence(category: dict[str, Any]) -> None:
    for lang in LANGS:
        assert _sentences(category["i18n"][lang]["help"]) == 1, lang


@pytest.mark.parametrize("category", ALL_CATEGORIES, ids=lambda c: c["code"])
def test_category_texts_are_translated_not_copied_from_english(category: dict[str, Any]) -> None:
    english = category["i18n"]["en"]
    for lang in LANGS[1:]:
        text = category["i18n"][lang]
        assert text["help"] != english["help"], lang
        assert text["guidance_now"] != english["guidance_now"], lang
        assert text["rights"] != english["rights"], lang


@pytest.mark.parametrize("code", ["hate", "harassment", "gender-violence", "violence"])
def test_categories_about_danger_to_a_person_say_call_112(code: str) -> None:
    category = next(c for c in CATEGORIES if c["code"] == code)
    for lang in LANGS:
        assert any("112" in step for step in category["i18n"][lang]["guidance_now"]), lang


@pytest.mark.parametrize("code", ["hate", "harassment", "gender-violence", "violence"])
def test_rights_of_victims_of_crimes_against_persons_cite_the_eu_directive(code: str) -> None:
    main = next(c for c in CATEGORIES if c["code"] == code)
    for category in [main, *main["children"]]:
        for lang in LANGS:
            assert "2012/29" in category["i18n"][lang]["rights"], (category["code"], lang)


def test_support_codes_referenced_by_categories_exist() -> None:
    known = {s["code"] for s in SERVICES}
    for category in ALL_CATEGORIES:
        assert set(category["support"]) <= known, category["code"]


def test_every_sensitive_category_points_to_a_service_open_day_and_night() -> None:
    always_open = {s["code"] for s in SERVICES if s["always_open"]}
    for category in ALL_CATEGORIES:
        if category["sensitive"]:
            assert always_open & set(category["support"]), category["code"]


# ---------------------------------------------------------------------------- support services


def test_required_support_services_are_present() -> None:
    assert {s["code"] for s in SERVICES} >= REQUIRED_SERVICES


def test_support_service_codes_are_unique() -> None:
    codes = [s["code"] for s in SERVICES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s["code"])
def test_support_service_is_written_in_five_languages(service: dict[str, Any]) -> None:
    assert set(service["i18n"]) == set(LANGS)
    for lang in LANGS:
        assert service["i18n"][lang]["name"].strip(), lang
        assert _sentences(service["i18n"][lang]["description"]) == 1, lang
    for lang in LANGS[1:]:
        assert service["i18n"][lang]["description"] != service["i18n"]["en"]["description"], lang


def test_real_eu_numbers_are_the_harmonised_ones() -> None:
    phones = {s["code"]: s["phone"] for s in SERVICES}
    for code, number in REAL_NUMBERS.items():
        assert phones[code] == number


def test_fictional_numbers_are_obviously_fictional() -> None:
    for service in SERVICES:
        if service["code"] not in REAL_NUMBERS:
            assert service["phone"] == "" or re.fullmatch(r"\+39 011 000 \d{4}", service["phone"]), service["code"]


def test_fictional_services_link_to_example_org() -> None:
    for service in SERVICES:
        assert service["url"].startswith("https://"), service["code"]
        if service["code"] not in REAL_NUMBERS:
            host = service["url"].removeprefix("https://").split("/")[0]
            assert host.endswith(".example.org"), service["code"]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s["code"])
def test_opening_hours_match_always_open(service: dict[str, Any]) -> None:
    if service["always_open"]:
        assert service["hours"] is None
        return
    hours = service["hours"]
    assert tuple(hours) == WEEKDAYS
    assert any(hours.values()), "a service that is never open"
    for intervals in hours.values():
        previous_end = "00:00"
        for start, end in intervals:
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", start)
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", end)
            assert previous_end <= start < end
            previous_end = end


def test_emergency_and_violence_helpline_are_always_open() -> None:
    always_open = {s["code"] for s in SERVICES if s["always_open"]}
    assert {"emergency", "violence-women-line"} <= always_open


def test_violence_helpline_says_real_national_numbers_differ_per_country() -> None:
    line = next(s for s in SERVICES if s["code"] == "violence-women-line")
    for lang in LANGS:
        description = line["i18n"][lang]["description"]
        assert "1522" in description and "3919" in description and "016" in description, lang


# ------------------------------------------------------------------------- description phrases


def test_phrase_tables_are_written_in_five_languages() -> None:
    for table in ("places", "extras", "clauses"):
        for key, by_lang in PHRASES[table].items():
            assert set(by_lang) == set(LANGS), (table, key)
            assert all(by_lang[lang] and all(isinstance(p, str) for p in by_lang[lang]) for lang in LANGS)
    assert set(PHRASES["when"]) == set(PHRASES["templates"]) == set(LANGS)
    assert all(len(parts) == 4 for parts in PHRASES["when"].values())  # morning .. night


def test_every_sub_category_has_phrases_for_what_happened() -> None:
    sub_codes = {c["code"] for main in CATEGORIES for c in main.get("children", [])}
    assert set(PHRASES["clauses"]) == sub_codes


def test_description_templates_only_use_known_fields() -> None:
    known = {"what", "place", "when", "When", "extra"}
    for lang, templates in PHRASES["templates"].items():
        for template in templates:
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert {"what", "place"} <= fields <= known, (lang, template)
