"""The cyber-incident flow: pick what happened, see what to do now, then report it through the
existing report form with the matching category already chosen."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from streetlight.community.checklists import INCIDENTS
from streetlight.reports.models import Category

pytestmark = pytest.mark.django_db

FIRST_STEP = {
    "phishing": "Do not click the links",
    "ransomware": "Disconnect the affected computers from the network",
    "invoice": "Call your bank at once",
    "fake-orders": "Stop shipping further orders",
    "data-leak": "Stop the leak",
}


def test_the_picker_offers_every_kind(client: Client) -> None:
    html = client.get("/business/cyber/").content.decode()
    for incident in INCIDENTS:
        assert f'href="/business/cyber/{incident.slug}/"' in html


@pytest.mark.parametrize("incident", INCIDENTS, ids=lambda i: i.slug)
def test_each_kind_shows_its_checklist_and_report_link(client: Client, incident: object) -> None:
    slug, category = incident.slug, incident.category  # type: ignore[attr-defined]
    resp = client.get(f"/business/cyber/{slug}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert FIRST_STEP[slug] in html
    assert html.count("<li>") >= 5  # a real checklist, not one line
    assert f'href="/report/?category={category}"' in html
    assert Category.objects.filter(code=category, active=True).exists()
    assert "+39 011 000 0104" in html  # the cyber desk, from the catalog's support services


def test_ransomware_checklist_says_what_not_to_do(client: Client) -> None:
    html = client.get("/business/cyber/ransomware/").content.decode()
    for step in (
        "Do not pay the ransom",
        "Do not switch the computers off",
        "Photograph the ransom note",
        "IT provider",
        "Report it to the police",
    ):
        assert step in html


def test_data_leak_checklist_names_the_72_hours(client: Client) -> None:
    html = client.get("/business/cyber/data-leak/").content.decode()
    assert "within 72 hours" in html and "data-protection authority" in html


def test_unknown_kind_is_404(client: Client) -> None:
    assert client.get("/business/cyber/alien-invasion/").status_code == 404


def test_home_explains_and_links(client: Client, community: object) -> None:
    html = client.get("/business/").content.decode()
    assert "Port businesses" in html and "/business/cyber/" in html


def test_the_report_link_opens_the_form_on_that_category(client: Client) -> None:
    html = client.get("/report/?category=cyber-business-phishing").content.decode()
    assert re.search(r'value="cyber-business-phishing"[^>]*checked', html)
    unknown = client.get("/report/?category=no-such-category").content.decode()
    assert not re.search(r'name="category"[^>]*checked', unknown)
