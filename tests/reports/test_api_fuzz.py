"""Schemathesis generates requests, valid and invalid, from our own OpenAPI document: whatever it
sends, the API never fails with a server error, and every answer is what the document promises — a
documented status and content type, a body valid against its schema — while requests the document
rules out are refused. Follow-up requests carry a real token and control-room ones a signed-in
operator's session, so the fuzzer gets past them; schemathesis's auth checks try without."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from streetlight.demo.seed import load_data
from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.services import report_submit
from streetlight.reports.tasks import process_report, triage_report
from streetlight.wsgi import application
from tests.fuzzing import EXCLUDED_CHECKS, SETTINGS, Tally, pick, positive, sendable_path, unthrottled
from tests.staff import member, signed_in

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
TALLY = Tally("/api/v1")
schema.hook("filter_path_parameters")(sendable_path)
CATEGORIES = sorted(
    child["code"]
    for parent in load_data("categories.json")
    for child in parent.get("children", [])
    if parent["code"] != "unsafe"  # a feeling of insecurity needs its own fields
)
AREAS = sorted(feature["properties"]["code"] for feature in load_data("districts.geojson")["features"])
CREDENTIALS: dict[str, str] = {}  # a follow-up token and a staff session, made afresh for each test


def _in_catalog(report: dict[str, Any], category: str, area: str) -> None:
    """Place the generated report (in place: schemathesis then still knows the rest as generated) in
    a known area and category, happening now, without the parts only some categories and consents
    allow."""
    for part in ("contact", "feeling"):
        report.pop(part, None)
    report.update(
        category=category,
        description=report.get("description") or "Fuzzed.",
        when={"kind": "now"},
        location={"kind": "area", "area": area},
    )


def _plausible(case: schemathesis.Case) -> None:
    """A positive report takes a category and an area from the city's catalog, which no schema can
    list, so that submissions get through and their answers are checked too."""
    if not positive(case) or not isinstance(case.body, dict):
        return
    category, area = pick(case, CATEGORIES), pick(case, AREAS, "area")
    if case.operation.path == "/api/v1/reports":
        _in_catalog(case.body, category, area)
    elif case.operation.path == "/api/v1/reports/with-photos":
        report: dict[str, Any] = {"consent": dict.fromkeys(Consent.__dataclass_fields__, False)}
        _in_catalog(report, category, area)
        case.body["report"] = json.dumps(report)


@schema.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/followup")
class FollowupToken:
    """Follow-up requests carry a real token; schemathesis's auth checks also try wrong ones."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str | None:
        return CREDENTIALS.get("token")

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/control")
class StaffSession:
    """Control-room requests come from a signed-in police operator; and without, from the checks."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str | None:
        return CREDENTIALS.get("session")

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.cookies = {**(case.cookies or {}), "sessionid": data}


@pytest.fixture(scope="module", autouse=True)
def _print_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    TALLY.report(request.config)


@pytest.fixture(autouse=True)
def _db(db: Any, settings: Any) -> Iterator[None]:
    consent = Consent(
        police=True, victim_support=False, social_services=False, city=False, contact=False, public_statistics=True
    )
    draft = ReportDraft(category="theft-bike", consent=consent, description="Stolen.", location="area", area=AREAS[0])
    submitted = report_submit(draft=draft, source="api")
    process_report.call(report_id=submitted.report.pk)  # routed: the operator's queue shows it
    triage_report.call(report_id=submitted.report.pk)
    session = signed_in(member("police", "operator")).cookies["sessionid"].value
    CREDENTIALS.update(token=submitted.followup_token, session=session)
    yield from unthrottled(settings)


@schema.parametrize()
@SETTINGS
def test_api_answers_as_documented(case: schemathesis.Case) -> None:
    TALLY.case(case.operation.label)
    _plausible(case)
    response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
    TALLY.answer(response.status_code)
