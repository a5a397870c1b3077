"""The per-choice Atom feed: valid Atom, entries linking the HTML page and the CAP document,
filtered by area, topic and language; unknown parameters are a 400 that names them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from streetlight.alerts import selectors as alert_selectors

from .factories import SENSITIVE_DESCRIPTION, issue, sensitive_alert

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client: Client, query: str = "") -> list[Any]:
    resp = client.get(f"/alerts/subscriptions/feed.atom{query}")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(resp.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None
    return root.findall(f"{ATOM}entry")


def test_entries_link_the_page_and_the_cap_document(client: Client) -> None:
    alert = issue()
    [entry] = entries(client)
    for name in ("id", "title", "updated", "summary"):
        assert entry.find(f"{ATOM}{name}") is not None
    links = {(link.get("rel"), link.get("type")): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links[("alternate", "application/cap+xml")] == alert_selectors.alert_cap_url(alert)
    assert links[("alternate", None)] == alert_selectors.alert_public_url(alert)


def test_filters_by_area_topic_and_language(client: Client) -> None:
    issue(area="D01", topics=("theft",))
    issue(area="D03", topics=("nuisance-noise",))
    assert [e.findtext(f"{ATOM}title") for e in entries(client, "?area=D03")] == ["Bike thefts in D03"]
    assert [e.findtext(f"{ATOM}title") for e in entries(client, "?topic=theft&lang=fr")] == ["Vols de vélos à D01"]
    assert entries(client, "?area=D06") == []


def test_exercises_only_on_request(client: Client) -> None:
    issue(status="Exercise")
    assert entries(client) == []
    assert len(entries(client, "?exercises=1")) == 1


def test_sensitive_entries_are_generic(client: Client) -> None:
    sensitive_alert(area="D02")
    [entry] = entries(client, "?lang=en")
    assert entry.findtext(f"{ATOM}title") == "New safety warning for Porto Vecchio"
    assert SENSITIVE_DESCRIPTION not in etree.tostring(entry, encoding="unicode")


@pytest.mark.parametrize(
    ("query", "named"),
    [("?area=Z99", "area"), ("?topic=hate", "topic"), ("?lang=xx", "lang"), ("?area=<script>", "area")],
)
def test_unknown_parameter_is_a_400_naming_it(client: Client, query: str, named: str) -> None:
    resp = client.get(f"/alerts/subscriptions/feed.atom{query}")
    assert resp.status_code == 400
    assert resp.content.decode().startswith(f"{named}: unknown")
    assert resp["Content-Type"].startswith("text/plain")
