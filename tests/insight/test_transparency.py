"""The public transparency page: what is collected, who sees it, and counts in which nothing small
can be read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from streetlight.reports.models import Report
from streetlight.routing.services import report_route

pytestmark = pytest.mark.django_db


def file_reports(client: Client, report_json: dict[str, Any], n: int, **consent: bool) -> None:
    body = {**report_json, "consent": {**report_json["consent"], **consent}}
    for _ in range(n):
        cache.clear()  # the per-address submission limit is not what this test is about
        resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 201, resp.content
        report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
        report_route(report=report)


def test_the_page_explains_and_counts_without_revealing_small_numbers(
    client: Client, report_json: dict[str, Any]
) -> None:
    file_reports(client, report_json, 12)  # bike thefts to the police
    file_reports(client, {**report_json, "category": "hate-verbal"}, 3, police=False, victim_support=True)
    page = client.get("/transparency/").content.decode()
    assert "Who can see your report" in page and "What is made public" in page
    table = page.split('id="by-agency-kind"', 1)[1].split("</table>", 1)[0]
    police = table.split('<th scope="row">Police</th>', 1)[1].split("</tr>", 1)[0]
    assert "<td>12</td>" in police
    support = table.split('<th scope="row">Victim support</th>', 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in support and ">3<" not in support
    assert "In use since" in page  # the active triage model's card


def test_the_page_is_public_and_linked_from_every_page(client: Client) -> None:
    assert client.get("/transparency/").status_code == 200
    assert 'href="/transparency/"' in client.get("/").content.decode()
