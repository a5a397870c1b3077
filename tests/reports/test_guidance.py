"""Guidance: the right steps and services for a category, open services first, in the asked language."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.reports import selectors, services
from streetlight.reports.models import Category, CategoryText, Report

pytestmark = pytest.mark.django_db

SUNDAY_NIGHT = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # 00:30 Monday in Rome
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)  # 10:30 in Rome


def test_services_open_now_come_first() -> None:
    guidance = selectors.guidance_for(category=Category.objects.get(code="hate-verbal"), at=SUNDAY_NIGHT)
    flags = [s["open_now"] for s in guidance["support"]]
    assert flags == sorted(flags, reverse=True)
    assert any(flags) and not all(flags)


def test_office_hours_service_is_open_on_a_weekday_morning() -> None:
    night = selectors.guidance_for(category=Category.objects.get(code="hate-verbal"), at=SUNDAY_NIGHT)
    day = selectors.guidance_for(category=Category.objects.get(code="hate-verbal"), at=TUESDAY_MORNING)
    office = [s["code"] for s in day["support"] if not s["always_open"]]
    assert office
    assert {s["code"]: s["open_now"] for s in night["support"]}[office[0]] is False
    assert {s["code"]: s["open_now"] for s in day["support"]}[office[0]] is True


def test_guidance_is_in_the_active_language() -> None:
    category = Category.objects.get(code="theft-bike")
    with translation.override("es"):
        es = selectors.guidance_for(category=category)
    with translation.override("en"):
        en = selectors.guidance_for(category=category)
    assert es["what_to_do_now"] and es["what_to_do_now"] != en["what_to_do_now"]


def test_editing_the_catalog_refreshes_cached_guidance(django_capture_on_commit_callbacks: Any) -> None:
    category = Category.objects.get(code="theft-bike")
    with translation.override("en"):
        selectors.guidance_for(category=category)
        text = CategoryText.objects.get(category__code="theft", language="en")
        own = CategoryText.objects.filter(category=category, language="en").first()
        target = own if own and own.steps else text
        target.guidance_now = "Lock your next bike to something fixed."
        target.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.categories_load(tree=[])  # any catalog load bumps the version
        assert selectors.guidance_for(category=category)["what_to_do_now"] == [
            "Lock your next bike to something fixed."
        ]


def test_reading_contact_details_is_audited(client: Client, report_json: dict[str, Any]) -> None:
    body = {
        **report_json,
        "consent": {**report_json["consent"], "contact": True},
        "contact": {"email": "a@example.org"},
    }
    ref = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()["reference"]
    report = Report.objects.get(reference=ref)
    staff = User.objects.create_user("officer", password="y" * 16)
    contact = selectors.report_contact_read(report=report, actor=staff, purpose="call back")
    assert contact is not None and contact.email == "a@example.org"
    entry = AuditEntry.objects.get(action="report.contact_read")
    assert (entry.actor, entry.target_id, entry.data["purpose"]) == (staff, str(report.pk), "call back")
