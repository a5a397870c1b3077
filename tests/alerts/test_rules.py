"""Standing rules: enough recent reports in one area issue a warning there, written from templates."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.alerts import selectors
from streetlight.alerts.models import Alert, AlertRule
from streetlight.alerts.services import alert_rules_run
from streetlight.reports.models import Report
from streetlight.toolkit.formats.cap import read_cap

from .factories import schema_errors

pytestmark = pytest.mark.django_db


def submit(client: Client, body: dict[str, Any], n: int) -> None:
    for _ in range(n):
        response = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content


def test_a_rule_warns_an_area_once_its_threshold_is_reached(client: Client, report_json: dict[str, Any]) -> None:
    rule = AlertRule.objects.create(name="Bike thefts", categories=["theft"], threshold=3, window_hours=24)
    submit(client, report_json, 2)
    assert alert_rules_run() == []
    submit(client, report_json, 1)
    (alert,) = alert_rules_run()
    report = Report.objects.select_related("area").get(pk=Report.objects.values_list("pk", flat=True)[0])
    area = report.area
    assert area is not None
    assert alert.rule == rule and alert.area == area and alert.created_by is None
    assert schema_errors(alert.document) == []
    cap = read_cap(alert.document.encode())
    assert {info.language for info in cap.infos} == {"en", "fr", "nl", "it", "es"}
    english = next(info for info in cap.infos if info.language == "en")
    assert "3 incidents" in (english.description or "") and area.name in (english.headline or "")
    assert report_json["description"] not in alert.document  # never quotes a report
    assert alert_rules_run() == []  # one warning in force per rule and area


def test_reports_outside_the_window_do_not_count(client: Client, report_json: dict[str, Any]) -> None:
    AlertRule.objects.create(name="Bike thefts", categories=["theft"], threshold=2, window_hours=1)
    submit(client, report_json, 2)
    assert alert_rules_run(now=timezone.now() + timedelta(hours=2)) == []


def test_a_sensitive_rule_names_the_main_category_only(client: Client, report_json: dict[str, Any]) -> None:
    AlertRule.objects.create(name="Following", categories=["harassment-following"], threshold=2)
    submit(client, {**report_json, "category": "harassment-following", "description": "A man followed me home."}, 2)
    (alert,) = alert_rules_run()
    english = alert.infos.get(language="en")
    assert "following" not in english.headline.lower()
    assert selectors.alert_is_sensitive(alert)
    assert "harassment-following" not in alert.document  # no sensitive code in the public CAP


def test_an_inactive_rule_issues_nothing(client: Client, report_json: dict[str, Any]) -> None:
    AlertRule.objects.create(name="Off", categories=["theft"], threshold=1, active=False)
    submit(client, report_json, 1)
    assert alert_rules_run() == []
    assert not Alert.objects.exists()
