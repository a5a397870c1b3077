"""A warning to the community: a Restricted CAP message naming the community, valid against the
CAP 1.2 schema, then one e-mail per active business in its language, sent by the worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from lxml import etree

from streetlight.alerts.models import Alert
from streetlight.community.models import Community, CommunityWarning, Delivery
from tests.staff import signed_in

from .conftest import CAP_XSD, make_business

WARNING = {
    "headline_en": "Fake invoices from a 'port authority' address",
    "description_en": "Several businesses received invoices from portavera-port-authority.example.com.",
    "instruction_en": "Do not pay; call the port authority on the number you know.",
    "headline_fr": "Fausses factures d'une « autorité portuaire »",
    "description_fr": "Plusieurs entreprises ont reçu des factures de portavera-port-authority.example.com.",
    "severity": "Moderate",
    "urgency": "Expected",
    "expires_hours": "24",
}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def validate_cap(document: str) -> None:
    schema = etree.XMLSchema(etree.parse(CAP_XSD))
    schema.assertValid(etree.fromstring(document.encode()))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_city")
def test_warning_reaches_each_active_business_once_in_its_language(community: Community, coordinator: Any) -> None:
    english, en_token = make_business(community, "Harbour Cafe", language="en")
    french, _t = make_business(community, "Quai Fret", language="fr")
    make_business(community, "Pending Shop", status="pending")
    make_business(community, "Gone Shop", status="left")

    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/warnings/new/", WARNING)
    assert resp.status_code == 302, resp.content.decode()[:2000]

    warning = CommunityWarning.objects.get()
    alert = warning.alert
    assert (alert.scope, alert.status, alert.msg_type) == ("Restricted", "Actual", "Alert")
    assert alert.restriction == "Members of Port businesses"
    assert alert.agency is not None and alert.agency.code == "cyber-desk"
    assert {i.language for i in alert.infos.all()} == {"en", "fr"}
    validate_cap(alert.document)
    assert "<scope>Restricted</scope>" in alert.document

    assert mail.outbox == []  # sent in the background, not in the request
    run_worker()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["harbour-cafe@example.org", "quai-fret@example.org"]
    assert len(mail.outbox) == 2
    assert "Fake invoices" in by_address["harbour-cafe@example.org"].subject
    assert f"/business/b/{en_token}/" in by_address["harbour-cafe@example.org"].body
    assert "Fausses factures" in by_address["quai-fret@example.org"].subject
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert {d.business_id for d in Delivery.objects.all()} == {english.pk, french.pk}

    page = signed_in(coordinator).get(f"/control/community/{community.pk}/warnings/{warning.pk}/")
    assert page.status_code == 200 and page.content.decode().count("Sent") >= 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_city")
def test_the_business_page_lists_the_warning(client: Any, community: Community, coordinator: Any) -> None:
    _business, token = make_business(community, "Harbour Cafe", language="fr")
    signed_in(coordinator).post(f"/control/community/{community.pk}/warnings/new/", WARNING)
    html = client.get(f"/business/b/{token}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Fausses factures" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description_en": ""}, "What is happening (English)", "Fill this in too"),
        ({"headline_fr": ""}, "Headline (Français)", "Fill this in too"),
        ({"headline_en": "x" * 161}, "Headline (English)", "at most 160 characters"),
        ({"expires_hours": "0"}, "Valid for (hours)", "greater than or equal to 1"),
        ({"expires_hours": "soon"}, "Valid for (hours)", "Enter a whole number"),
        ({"severity": "Apocalyptic"}, "Severity", "Select a valid choice"),
    ],
)
def test_bad_warning_names_the_field_and_sends_nothing(
    community: Community, coordinator: Any, changes: dict[str, str], field: str, message: str
) -> None:
    make_business(community, "Harbour Cafe")
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/warnings/new/", {**WARNING, **changes})
    assert resp.status_code == 422
    html = resp.content.decode()
    assert field in html and message in html
    assert not Alert.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_warning_without_any_text_is_refused(community: Community, coordinator: Any) -> None:
    empty = {k: v for k, v in WARNING.items() if k.split("_")[-1] not in {"en", "fr"}}
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/warnings/new/", empty)
    assert resp.status_code == 422
    assert "at least one language" in resp.content.decode()
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_a_zone_of_several_areas_becomes_one_valid_polygon(community: Community, coordinator: Any) -> None:
    from streetlight.community.drafts import WarningText
    from streetlight.community.services import warning_send
    from streetlight.reports.models import Area

    community.areas.add(*Area.objects.order_by("code")[1:3])
    texts = {"en": WarningText(headline="Phishing wave", description="Fake parcel texts.")}
    warning = warning_send(community=community, texts=texts, by=coordinator)
    assert warning.alert.area is None and len(warning.alert.polygons) == 1
    validate_cap(warning.alert.document)
    assert "<polygon>" in warning.alert.document
