"""The synthetic-report generator: deterministic, inside the city, and with the patterns the
demo is meant to show (night-time economy, daytime burglary, office-hours cyber fraud, winter
darkness, consent that protects sensitive reports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from streetlight.demo.generator import (
    LANGUAGES,
    UNSAFE_REASONS,
    generate_reports,
    load_categories,
    load_districts,
    points_in_geometry,
    space,
)

SRC = Path(__file__).resolve().parents[2] / "src"
ROME = ZoneInfo("Europe/Rome")
START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)
N = 10_000
NIGHT_HOURS = {22, 23, 0, 1, 2}  # 22:00-03:00 local
NIGHTLIFE_CATEGORIES = {
    "violence-assault",
    "violence-robbery",
    "nuisance-noise",
    "nuisance-drunk",
    "harassment-comments",
    "harassment-touching",
}
REPORT_KEYS = {
    "category",
    "kind",
    "occurred_at",
    "created_at",
    "lat",
    "lon",
    "district",
    "location_precision_m",
    "description",
    "language",
    "consent",
    "anonymous",
    "status",
    "safety_score",
    "reasons",
    "day_night",
}
CONSENT_KEYS = {"police", "victim_support", "social_services", "city", "contact", "public_statistics"}
SHARE_KEYS = ("police", "victim_support", "social_services", "city")

Report = dict[str, Any]


@pytest.fixture(scope="module")
def districts() -> dict[str, Any]:
    return load_districts()


@pytest.fixture(scope="module")
def categories() -> list[dict[str, Any]]:
    return load_categories()


@pytest.fixture(scope="module")
def reports(districts: dict[str, Any], categories: list[dict[str, Any]]) -> list[Report]:
    return generate_reports(districts=districts, categories=categories, n=N, start=START, end=END, seed=7)


@pytest.fixture(scope="module")
def main_of(categories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {child["code"]: main for main in categories for child in main["children"]}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ROME)


def _is_sensitive(report: Report, main_of: dict[str, dict[str, Any]]) -> bool:
    return bool(main_of[report["category"]]["sensitive"])


def _statistics_only(report: Report) -> bool:
    consent = report["consent"]
    return consent["public_statistics"] and not any(consent[k] for k in SHARE_KEYS)


def _share(reports: list[Report], predicate: Any) -> float:
    assert reports, "no reports to measure"
    return sum(1 for r in reports if predicate(r)) / len(reports)


# --------------------------------------------------------------------------------- contract


def test_returns_exactly_n_reports(reports: list[Report]) -> None:
    assert len(reports) == N


def test_same_seed_gives_the_same_reports(districts: dict[str, Any], categories: list[dict[str, Any]]) -> None:
    kwargs: dict[str, Any] = {
        "districts": districts,
        "categories": categories,
        "n": 300,
        "start": START,
        "end": END,
    }
    assert generate_reports(**kwargs, seed=3) == generate_reports(**kwargs, seed=3)


def test_different_seeds_give_different_reports(districts: dict[str, Any], categories: list[dict[str, Any]]) -> None:
    kwargs: dict[str, Any] = {
        "districts": districts,
        "categories": categories,
        "n": 300,
        "start": START,
        "end": END,
    }
    assert generate_reports(**kwargs, seed=3) != generate_reports(**kwargs, seed=4)


def test_reports_have_the_documented_fields(reports: list[Report]) -> None:
    for report in reports:
        assert set(report) == REPORT_KEYS
        assert set(report["consent"]) == CONSENT_KEYS


def test_values_are_plain_python_types_and_serialise_to_json(reports: list[Report]) -> None:
    for report in reports[:500]:
        assert type(report["lat"]) is float and type(report["lon"]) is float
        assert type(report["location_precision_m"]) is int and report["location_precision_m"] > 0
        assert type(report["anonymous"]) is bool
        assert all(type(v) is bool for v in report["consent"].values())
    text = json.dumps(reports[:500], default=lambda v: v.isoformat())
    assert json.loads(text)[0]["category"] == reports[0]["category"]


def test_times_are_aware_utc_and_inside_the_window(reports: list[Report]) -> None:
    for report in reports:
        for key in ("occurred_at", "created_at"):
            assert report[key].utcoffset() == timedelta(0)
            assert START <= report[key] <= END


def test_created_at_is_never_before_occurred_at(reports: list[Report]) -> None:
    assert all(r["created_at"] >= r["occurred_at"] for r in reports)


def test_sensitive_reports_are_filed_later_than_others(
    reports: list[Report], main_of: dict[str, dict[str, Any]]
) -> None:
    def delays(sensitive: bool) -> list[float]:
        return [
            (r["created_at"] - r["occurred_at"]).total_seconds()
            for r in reports
            if _is_sensitive(r, main_of) == sensitive
        ]

    assert np.median(delays(True)) > 3 * np.median(delays(False))


def test_reports_are_sorted_by_creation_time(reports: list[Report]) -> None:
    created = [r["created_at"] for r in reports]
    assert created == sorted(created)


def test_categories_are_sub_categories_with_the_kind_of_the_tree(
    reports: list[Report], categories: list[dict[str, Any]]
) -> None:
    kinds = {child["code"]: child["kind"] for main in categories for child in main["children"]}
    for report in reports:
        assert report["kind"] == kinds[report["category"]]
    assert set(kinds) == {r["category"] for r in reports}  # every sub-category shows up


def test_unwanted_touching_is_filed_as_a_crime(reports: list[Report]) -> None:
    touching = [r for r in reports if r["category"] == "harassment-touching"]
    assert touching and all(r["kind"] == "crime" for r in touching)


# ----------------------------------------------------------------------------------- place


def test_every_point_lies_inside_its_district(reports: list[Report], districts: dict[str, Any]) -> None:
    for feature in districts["features"]:
        mine = [r for r in reports if r["district"] == feature["properties"]["code"]]
        lon = np.array([r["lon"] for r in mine])
        lat = np.array([r["lat"] for r in mine])
        assert shapely.contains_xy(shape(feature["geometry"]), lon, lat).all(), feature["properties"]["code"]


def test_coordinates_have_at_most_six_decimals(reports: list[Report]) -> None:
    assert all(round(r["lat"], 6) == r["lat"] and round(r["lon"], 6) == r["lon"] for r in reports)


def test_every_district_gets_reports(reports: list[Report], districts: dict[str, Any]) -> None:
    assert {r["district"] for r in reports} == {f["properties"]["code"] for f in districts["features"]}


def test_numpy_point_in_polygon_agrees_with_shapely(districts: dict[str, Any]) -> None:
    rng = np.random.default_rng(0)
    for feature in districts["features"]:
        polygon = shape(feature["geometry"])
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        lon = rng.uniform(min_lon, max_lon, 2000)
        lat = rng.uniform(min_lat, max_lat, 2000)
        expected = np.array([polygon.contains(Point(x, y)) for x, y in zip(lon, lat, strict=True)])
        assert 0 < expected.sum() < expected.size
        assert (points_in_geometry(feature["geometry"], lon, lat) == expected).all()


def test_without_shapely_the_numpy_fallback_gives_the_same_reports(
    districts: dict[str, Any], categories: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    kwargs: dict[str, Any] = {
        "districts": districts,
        "categories": categories,
        "n": 500,
        "start": START,
        "end": END,
    }
    with_shapely = generate_reports(**kwargs)
    monkeypatch.setattr(space, "HAS_SHAPELY", False)
    assert generate_reports(**kwargs) == with_shapely


def test_numpy_point_in_polygon_handles_holes() -> None:
    square_with_hole = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]],
        ],
    }
    inside = points_in_geometry(square_with_hole, np.array([0.5, 2.0, 5.0]), np.array([0.5, 2.0, 2.0]))
    assert inside.tolist() == [True, False, False]


# ------------------------------------------------------------------------------------ time


def test_nightlife_offences_in_nightlife_districts_happen_at_night_more_than_burglaries(
    reports: list[Report], districts: dict[str, Any]
) -> None:
    lively = {f["properties"]["code"] for f in districts["features"] if f["properties"]["nightlife"] >= 0.8}
    nightlife = [r for r in reports if r["category"] in NIGHTLIFE_CATEGORIES and r["district"] in lively]
    burglaries = [r for r in reports if r["category"] == "theft-burglary"]

    def at_night(r: Report) -> bool:
        return _local(r["occurred_at"]).hour in NIGHT_HOURS

    assert _share(nightlife, at_night) > 2 * _share(burglaries, at_night)


def test_nightlife_offences_peak_on_friday_and_saturday_nights(reports: list[Report]) -> None:
    nights = [
        _local(r["occurred_at"] - timedelta(hours=6)).weekday()
        for r in reports
        if r["category"] in NIGHTLIFE_CATEGORIES and _local(r["occurred_at"]).hour in NIGHT_HOURS
    ]
    counts = Counter(nights)
    assert min(counts[4], counts[5]) > max(counts[d] for d in (0, 1, 2, 3, 6))


def test_burglaries_happen_mostly_by_day_on_weekdays(reports: list[Report]) -> None:
    burglaries = [_local(r["occurred_at"]) for r in reports if r["category"] == "theft-burglary"]
    assert sum(1 for t in burglaries if t.weekday() < 5 and 8 <= t.hour < 19) / len(burglaries) > 0.5


def test_cyber_reports_favour_monday_to_friday(reports: list[Report]) -> None:
    cyber = [r for r in reports if r["kind"] == "cyber"]
    assert _share(cyber, lambda r: _local(r["occurred_at"]).weekday() < 5) > 0.85


def test_cyber_reports_fall_mostly_in_office_hours(reports: list[Report]) -> None:
    cyber = [r for r in reports if r["kind"] == "cyber"]
    assert _share(cyber, lambda r: 8 <= _local(r["occurred_at"]).hour < 18) > 0.7


def test_feelings_of_insecurity_are_mostly_after_dark(reports: list[Report]) -> None:
    unsafe = [r for r in reports if r["kind"] == "feeling"]
    assert _share(unsafe, lambda r: r["day_night"] == "night") > 0.55


def test_feelings_of_insecurity_peak_in_winter(reports: list[Report]) -> None:
    months = Counter(_local(r["occurred_at"]).month for r in reports if r["kind"] == "feeling")
    assert sum(months[m] for m in (11, 12, 1, 2)) > 1.4 * sum(months[m] for m in (5, 6, 7, 8))


def test_day_night_follows_the_sun_over_the_city(reports: list[Report]) -> None:
    for report in reports:
        if report["kind"] != "feeling":
            continue
        hour = _local(report["occurred_at"]).hour
        if 11 <= hour <= 14:
            assert report["day_night"] == "day"
        elif hour in (0, 1, 2, 3):
            assert report["day_night"] == "night"


def test_theft_peaks_mildly_in_summer(reports: list[Report], main_of: dict[str, dict[str, Any]]) -> None:
    months = Counter(_local(r["occurred_at"]).month for r in reports if main_of[r["category"]]["code"] == "theft")
    summer, winter = sum(months[m] for m in (6, 7, 8)), sum(months[m] for m in (12, 1, 2))
    assert 1.05 * winter < summer < 2 * winter


# --------------------------------------------------------------------------------- consent


def test_sensitive_reports_are_shared_with_the_police_less_often(
    reports: list[Report], main_of: dict[str, dict[str, Any]]
) -> None:
    sensitive = [r for r in reports if _is_sensitive(r, main_of)]
    others = [r for r in reports if not _is_sensitive(r, main_of)]

    def police(r: Report) -> bool:
        return bool(r["consent"]["police"])

    assert _share(sensitive, police) < _share(others, police)
    assert 0.15 <= _share(sensitive, police) <= 0.35


def test_sensitive_reports_go_to_victim_support_more_than_to_the_police(
    reports: list[Report], main_of: dict[str, dict[str, Any]]
) -> None:
    sensitive = [r for r in reports if _is_sensitive(r, main_of)]
    assert _share(sensitive, lambda r: r["consent"]["victim_support"]) > 2 * _share(
        sensitive, lambda r: r["consent"]["police"]
    )


def test_about_a_third_of_reports_share_with_nobody_but_statistics(reports: list[Report]) -> None:
    assert 0.27 <= _share(reports, _statistics_only) <= 0.40


def test_about_fifteen_percent_of_sensitive_reports_are_statistics_only(
    reports: list[Report], main_of: dict[str, dict[str, Any]]
) -> None:
    sensitive = [r for r in reports if _is_sensitive(r, main_of)]
    assert 0.10 <= _share(sensitive, _statistics_only) <= 0.20


def test_statistics_only_reports_do_not_ask_to_be_contacted(reports: list[Report]) -> None:
    assert not any(r["consent"]["contact"] for r in reports if _statistics_only(r))


def test_street_problems_are_shared_with_the_city(reports: list[Report], main_of: dict[str, dict[str, Any]]) -> None:
    street = [r for r in reports if main_of[r["category"]]["code"] == "public-space"]
    assert _share(street, lambda r: r["consent"]["city"]) > 0.9


def test_about_sixty_percent_are_anonymous(reports: list[Report]) -> None:
    assert 0.52 <= _share(reports, lambda r: r["anonymous"]) <= 0.68


# ------------------------------------------------------------------------ status, language


def test_older_reports_are_mostly_resolved_or_closed(reports: list[Report]) -> None:
    old = [r for r in reports if END - r["created_at"] > timedelta(days=90)]
    recent = [r for r in reports if END - r["created_at"] < timedelta(days=3)]

    def done(r: Report) -> bool:
        return r["status"] in {"resolved", "closed"}

    assert _share(old, done) > 0.85
    assert _share(recent, done) < 0.5
    assert {r["status"] for r in reports} == {"received", "in_progress", "resolved", "closed"}


def test_languages_follow_english_italian_french_dutch_spanish(reports: list[Report]) -> None:
    counts = Counter(r["language"] for r in reports)
    assert [lang for lang, _ in counts.most_common()] == list(LANGUAGES)


def test_descriptions_are_short_and_varied(reports: list[Report]) -> None:
    descriptions = [r["description"] for r in reports]
    assert all(10 <= len(d) <= 220 and d[0].isupper() and d.endswith(".") for d in descriptions)
    assert len(set(descriptions)) > 0.6 * len(descriptions)


def test_description_is_written_in_the_reporters_language(reports: list[Report]) -> None:
    markers = {
        "en": ("wallet", "phone"),
        "fr": ("portefeuille", "téléphone"),
        "nl": ("portemonnee", "telefoon"),
        "it": ("portafoglio", "telefono"),
        "es": ("cartera", "móvil"),
    }
    pickpocketing = [r for r in reports if r["category"] == "theft-pickpocket"]
    assert {r["language"] for r in pickpocketing} == set(markers)
    for report in pickpocketing:
        assert any(m in report["description"].lower() for m in markers[report["language"]]), report["description"]


# -------------------------------------------------------------------------- feelings details


def test_unsafe_reports_carry_score_reasons_and_day_night(reports: list[Report]) -> None:
    for report in reports:
        if report["kind"] == "feeling":
            assert report["safety_score"] in {1, 2, 3, 4, 5}
            assert report["reasons"] and set(report["reasons"]) <= set(UNSAFE_REASONS)
            assert report["day_night"] in {"day", "night"}
        else:
            assert report["safety_score"] is None and report["reasons"] is None and report["day_night"] is None


def test_unsafe_reasons_include_the_sub_category_reason(reports: list[Report]) -> None:
    for report in reports:
        if report["kind"] == "feeling":
            assert report["category"].removeprefix("unsafe-") in report["reasons"]


def test_places_feel_less_safe_after_dark(reports: list[Report]) -> None:
    def mean_score(day_night: str) -> float:
        scores = [r["safety_score"] for r in reports if r["kind"] == "feeling" and r["day_night"] == day_night]
        return float(np.mean(scores))

    assert mean_score("night") < mean_score("day")


# ------------------------------------------------------------------------------ arguments


def test_naive_datetimes_are_refused(districts: dict[str, Any], categories: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_reports(districts=districts, categories=categories, start=datetime(2024, 1, 1), end=END)


def test_an_empty_or_reversed_window_is_refused(districts: dict[str, Any], categories: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="later than start"):
        generate_reports(districts=districts, categories=categories, start=END, end=START)


def test_zero_reports_is_an_empty_list(districts: dict[str, Any], categories: list[dict[str, Any]]) -> None:
    assert generate_reports(districts=districts, categories=categories, n=0, start=START, end=END) == []


def test_a_handful_of_reports_leaves_most_districts_empty_without_error(
    districts: dict[str, Any], categories: list[dict[str, Any]]
) -> None:
    reports = generate_reports(districts=districts, categories=categories, n=3, start=START, end=END, seed=2)
    assert len(reports) == 3


def test_a_short_window_over_the_spring_clock_change_stays_inside_it(
    districts: dict[str, Any], categories: list[dict[str, Any]]
) -> None:
    start = datetime(2024, 3, 30, 10, 17, 30, tzinfo=timezone(timedelta(hours=1)))
    end = datetime(2024, 4, 1, 8, 0, tzinfo=ROME)
    reports = generate_reports(districts=districts, categories=categories, n=500, start=start, end=end, seed=1)
    assert len(reports) == 500
    assert all(start <= r["occurred_at"] <= r["created_at"] <= end for r in reports)


def test_works_with_another_city_and_category_tree() -> None:
    """Other cities bring their own districts and categories; unknown codes get defaults."""
    city: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "A", "population": 1000, "nightlife": 0.9},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.0]]],
                },
            }
        ],
    }
    tree: list[dict[str, Any]] = [
        {"code": "graffiti", "kind": "incident", "sensitive": False, "i18n": {"en": {"name": "Graffiti"}}},
        {"code": "fraud", "kind": "cyber", "children": [{"code": "fraud-sms"}, {"code": "fraud-call"}]},
    ]
    reports = generate_reports(districts=city, categories=tree, n=200, start=START, end=END)
    triangle = shape(city["features"][0]["geometry"])
    assert {r["category"] for r in reports} == {"graffiti", "fraud-sms", "fraud-call"}
    assert all(r["kind"] == "cyber" for r in reports if r["category"].startswith("fraud"))
    assert all(triangle.contains(Point(r["lon"], r["lat"])) for r in reports)


def test_the_generator_never_imports_django() -> None:
    code = "import sys, streetlight.demo.generator; sys.exit('django' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0
