"""Triage on the operators' and the city administrator's screens, in Chromium: the urgent words are
marked, the suggestion is shown, the operator confirms a category with the form, and axe finds
nothing serious on either page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from streetlight.reports.models import Report
from streetlight.reports.tasks import process_report, triage_report
from streetlight.triage.models import TriageLabel, TriageModel
from streetlight.triage.services import triage_seed_model

from .helpers import assert_accessible, desk_sign_in
from .test_control_room import OpenDesk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_model() -> TriageModel:
    """The model trained on the shipped seed texts: already there unless an earlier test flushed it."""
    triage_seed_model()
    return TriageModel.objects.get(active=True)


def sign_in(open_desk: OpenDesk, username: str, agency: str, role: str) -> Any:
    return desk_sign_in(open_desk, username, agency, role)


def test_an_operator_sees_the_triage_and_confirms_the_category(
    open_desk: OpenDesk, report_json: dict[str, Any]
) -> None:
    active_model()
    body = {
        **report_json,
        "category": "violence-threats",
        "description": "Un homme avec un couteau menace les gens à l'arrêt de tram, il est encore là !",
        "language": "fr",
    }
    resp = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    report = Report.objects.get(reference=resp.json()["reference"])
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)

    page = sign_in(open_desk, "cop", "police", "operator")
    row = page.locator("#queue-rows tr", has_text=report.reference)
    expect(row.locator(".badge-urgency-immediate")).to_be_visible()
    page.goto(f"/control/reports/{report.pk}/")
    expect(page.locator("#triage-urgency")).to_have_text("Immediate")
    expect(page.locator("mark.cue", has_text="couteau")).to_be_visible()
    expect(page.locator("#triage-suggestions li").first).to_be_visible()
    assert_accessible(page, "a report's page with its triage")

    page.get_by_label("Also about (optional)").select_option(label="Assault")
    page.get_by_role("button", name="Confirm categories").click()
    expect(page.locator("#triage-label")).to_contain_text("Categories confirmed by cop")
    assert TriageLabel.objects.get(report=report).categories == ["violence-threats", "violence-assault"]


def test_the_triage_models_page_is_accessible(open_desk: OpenDesk) -> None:
    model = active_model()
    page = sign_in(open_desk, "admin-of-the-city", "city-safety", "city_admin")
    page.get_by_role("link", name="Triage models").click()
    expect(page.locator("#models")).to_contain_text("active")
    assert_accessible(page, "the triage models page")
    page.get_by_role("link", name=f"#{model.pk}").click()
    expect(page.locator("#per-category")).to_contain_text("Bike theft")
    assert_accessible(page, "a triage model's page")
