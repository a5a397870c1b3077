"""The reporter's consent decides routing: for every combination of choices, the assignments made
(by the intake, in the report's own transaction) are exactly the ones allowed, never more."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from streetlight.demo.seed import seed_reports
from streetlight.reports.models import Report
from streetlight.routing.models import Agency, Assignment, RoutingRule
from streetlight.routing.services import report_route, reports_route_history

pytestmark = pytest.mark.django_db

SCOPES = ("police", "victim_support", "social_services", "city")


def submit(client: Client, body: dict[str, Any]) -> Report:
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201, resp.content
    return Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])


def routed(report: Report) -> list[Assignment]:
    """The assignments the intake made."""
    return list(Assignment.objects.filter(report=report).select_related("agency"))


@pytest.fixture
def everyone_rule() -> RoutingRule:
    """One rule sending bike thefts to an agency of each consent scope."""
    rule = RoutingRule.objects.create(name="test: everyone")
    rule.agencies.set(Agency.objects.filter(code__in=["police", "victim-support", "social-services", "city-safety"]))
    rule.categories.set([])
    return rule


@pytest.mark.parametrize("ticked", [set(c) for n in range(5) for c in itertools.combinations(SCOPES, n)])
def test_assignments_match_consent_exactly(
    client: Client, report_json: dict[str, Any], everyone_rule: RoutingRule, ticked: set[str]
) -> None:
    consent = {scope: scope in ticked for scope in SCOPES} | {"contact": False, "public_statistics": True}
    report = submit(client, {**report_json, "consent": consent})
    assignments = routed(report)
    assert {a.consent_scope for a in assignments} == ticked
    assert report_route(report=report) == []  # and routing again adds nothing
    assert {a.agency.consent_scope for a in Assignment.objects.filter(report=report)} == ticked


def test_statistics_only_reaches_no_queue(
    client: Client, report_json: dict[str, Any], everyone_rule: RoutingRule
) -> None:
    consent = dict.fromkeys(SCOPES, False) | {"contact": False, "public_statistics": True}
    report = submit(client, {**report_json, "consent": consent})
    assert routed(report) == [] and report_route(report=report) == []


def test_a_report_goes_to_several_agencies_at_once(client: Client, report_json: dict[str, Any]) -> None:
    consent = dict.fromkeys(SCOPES, True) | {"city": False, "contact": False, "public_statistics": True}
    report = submit(
        client,
        {
            **report_json,
            "category": "gender-violence-domestic",
            "description": "My partner hit me.",
            "consent": consent,
        },
    )
    codes = {a.agency.code for a in routed(report)}
    assert codes == {"police", "victim-support", "social-services"}


def test_ticked_recipient_without_a_rule_goes_to_the_fallback_agency(
    client: Client, report_json: dict[str, Any]
) -> None:
    # Bike theft is routed to the police only; the reporter also asked for victim support.
    consent = {
        "police": True,
        "victim_support": True,
        "social_services": False,
        "city": False,
        "contact": False,
        "public_statistics": True,
    }
    report = submit(client, {**report_json, "consent": consent})
    assert {a.agency.code for a in routed(report)} == {"police", "victim-support"}


def test_routing_twice_creates_nothing_new(client: Client, report_json: dict[str, Any]) -> None:
    report = submit(client, report_json)
    first = routed(report)
    assert first and report_route(report=report) == []
    assert Assignment.objects.filter(report=report).count() == len(first)


def test_night_rule_applies_only_at_night(client: Client, report_json: dict[str, Any]) -> None:
    consent = dict.fromkeys(SCOPES, False) | {"city": True, "contact": False, "public_statistics": True}
    base = {**report_json, "category": "nuisance-noise", "description": "Loud music", "consent": consent}
    night = submit(client, {**base, "when": {"kind": "at", "from": "2026-06-13T23:30:00+02:00"}})
    day = submit(client, {**base, "when": {"kind": "at", "from": "2026-06-13T15:30:00+02:00"}})
    assert "night-office" in {a.agency.code for a in routed(night)}
    assert "night-office" not in {a.agency.code for a in routed(day)}


def test_area_rule_applies_only_in_its_area(client: Client, report_json: dict[str, Any]) -> None:
    report = submit(client, report_json)
    other = Agency.objects.create(code="d-team", name="District team", kind="city_department", consent_scope="police")
    rule = RoutingRule.objects.create(name="test: one district")
    rule.agencies.set([other])
    assert report.area is not None
    from streetlight.reports.models import Area

    rule.areas.set(Area.objects.exclude(pk=report.area.pk)[:1])
    assert "d-team" not in {a.agency.code for a in report_route(report=report)}
    rule.areas.set([report.area])
    assert "d-team" in {a.agency.code for a in report_route(report=report)}


def test_sensitivity_rule(client: Client, report_json: dict[str, Any]) -> None:
    helper = Agency.objects.create(code="s-team", name="Sensitive team", kind="other", consent_scope="police")
    rule = RoutingRule.objects.create(name="test: sensitive only", sensitivity="sensitive")
    rule.agencies.set([helper])
    plain = submit(client, report_json)
    hate = submit(client, {**report_json, "category": "hate-verbal", "description": "Insulted for my faith"})
    assert "s-team" not in {a.agency.code for a in routed(plain)}
    assert "s-team" in {a.agency.code for a in routed(hate)}


def test_inactive_agency_gets_nothing(client: Client, report_json: dict[str, Any]) -> None:
    Agency.objects.filter(code="police").update(active=False)
    report = submit(client, report_json)
    assert "police" not in {a.agency.code for a in routed(report)}


def test_history_routed_in_bulk_gets_exactly_what_routing_one_by_one_gives() -> None:
    """The demo city's year is routed in one insert; each report must end with the agencies, consent
    scopes and deadlines that routing it alone, at its creation time, would give."""
    seed_reports(n=300, seed=4)
    reports = list(Report.objects.filter(source="demo").select_related("category__parent", "area"))

    def snapshot() -> set[tuple[int, int, str, Any, Any]]:
        rows = Assignment.objects.filter(report__in=reports)
        return set(rows.values_list("report_id", "agency_id", "consent_scope", "deadline_at", "late_after"))

    bulk = snapshot()
    statistics_only = [r for r in reports if not r.recipients]
    assert statistics_only and not Assignment.objects.filter(report__in=statistics_only).exists()
    assert {scope for _r, _a, scope, _d, _l in bulk} == set(SCOPES)
    Assignment.objects.filter(report__in=reports).delete()
    for report in reports:
        report_route(report=report, now=report.created_at)
    assert snapshot() == bulk
    assert reports_route_history(reports=reports) == 0  # and routing the history again adds nothing
