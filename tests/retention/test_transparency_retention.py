"""The transparency page states the retention that applies, from the same settings and category
overrides the retention run uses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from streetlight.reports.models import Category

from .conftest import retention_setting

pytestmark = pytest.mark.django_db


def retention_table(client: Client) -> str:
    cache.clear()  # the page is cached for a few minutes
    page = client.get("/transparency/").content.decode()
    return page.split('id="retention-periods"', 1)[1].split("</table>", 1)[0]


def test_the_page_states_the_defaults(client: Client) -> None:
    table = retention_table(client)
    most = table.split("Most reports", 1)[1].split("</tr>", 1)[0]
    assert "<td>90 days</td><td>3 years</td><td>7 years</td>" in most
    sensitive = table.split("Sensitive reports", 1)[1].split("</tr>", 1)[0]
    assert "<td>60 days</td><td>1 year</td><td>7 years</td>" in sensitive


def test_the_page_follows_the_settings_and_the_overrides(client: Client, settings: Any) -> None:
    retention_setting(settings, CONTACT_DAYS=30)
    Category.objects.filter(code="theft-bike").update(retention_delete_days=0)
    table = retention_table(client)
    assert "<td>30 days</td><td>3 years</td><td>7 years</td>" in table.split("Most reports", 1)[1].split("</tr>", 1)[0]
    bike = Category.objects.get(code="theft-bike").name()
    assert "<td>30 days</td><td>3 years</td><td>never</td>" in table.split(bike, 1)[1].split("</tr>", 1)[0]
