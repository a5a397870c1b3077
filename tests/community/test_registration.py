"""Registration is a double opt-in: nothing counts until the contact confirms, and an address the
mail server refuses leaves no trace."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from streetlight.community.models import Business, Community
from tests.staff import signed_in

from .conftest import RefusingHandler, free_port, smtp_settings

pytestmark = pytest.mark.django_db


def form_data(community: Community, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Harbour Bakery",
        "sector": "retail",
        "size": "micro",
        "area": community.areas.first().code,  # type: ignore[union-attr]
        "contact_name": "Ada",
        "email": "ada@bakery.example.org",
        "language": "en",
        "agree": "on",
    }
    return {**data, **changes}


def register(client: Client, community: Community, **changes: Any) -> Any:
    return client.post(f"/business/{community.pk}/register/", form_data(community, **changes))


def confirm_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/business/confirm/[^/\s]+/)", body)
    assert match, body
    return match[1]


def test_registration_counts_only_after_the_contact_confirms(client: Client, community: Community) -> None:
    resp = register(client, community)
    assert resp.status_code == 302 and resp["Location"] == "/business/registered/"
    business = Business.objects.get()
    assert business.status == "pending" and business.confirmed_at is None
    assert business.contact_email == "ada@bakery.example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@bakery.example.org"]
    link = confirm_link(str(mail.outbox[0].body))

    # Opening the link (as a mail scanner would) only shows a button.
    page = client.get(link)
    assert page.status_code == 200 and b"<form" in page.content
    business.refresh_from_db()
    assert business.confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    business.refresh_from_db()
    assert business.confirmed_at is not None
    assert business.status == "pending"  # this community asks a coordinator to approve
    assert f"/business/b/{business.page_token}/".encode() in done.content


def test_coordinator_approves_a_confirmed_business(client: Client, community: Community, coordinator: Any) -> None:
    register(client, community)
    client.post(confirm_link(str(mail.outbox[0].body)))
    business = Business.objects.get()
    staff = signed_in(coordinator)
    resp = staff.post(f"/control/community/{community.pk}/businesses/{business.pk}/approve/")
    assert resp.status_code == 302
    business.refresh_from_db()
    assert business.status == "active" and business.approved_at is not None


def test_an_unconfirmed_business_cannot_be_approved(client: Client, community: Community, coordinator: Any) -> None:
    register(client, community)
    business = Business.objects.get()
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/businesses/{business.pk}/approve/")
    assert resp.status_code == 409
    assert "has not confirmed" in resp.content.decode()
    business.refresh_from_db()
    assert business.status == "pending"


def test_without_approval_confirmation_activates(client: Client, community: Community) -> None:
    community.approval_required = False
    community.save()
    register(client, community)
    client.post(confirm_link(str(mail.outbox[0].body)))
    assert Business.objects.get().status == "active"


def test_confirming_twice_changes_nothing(client: Client, community: Community) -> None:
    register(client, community)
    link = confirm_link(str(mail.outbox[0].body))
    client.post(link)
    first = Business.objects.get().confirmed_at
    assert client.post(link).status_code == 200
    assert Business.objects.get().confirmed_at == first


def test_unknown_confirmation_link_is_404(client: Client) -> None:
    assert client.get("/business/confirm/not-a-token/").status_code == 404
    assert client.post("/business/confirm/not-a-token/").status_code == 404


def test_page_of_an_unconfirmed_business_is_404(client: Client, community: Community) -> None:
    register(client, community)
    business = Business.objects.get()
    assert client.get(f"/business/b/{business.page_token}/").status_code == 404


def test_refused_recipient_rolls_the_registration_back(
    client: Client, community: Community, smtp_server: RefusingHandler
) -> None:
    resp = register(client, community, email="bounce@bakery.example.org")
    assert resp.status_code == 422
    assert not Business.objects.exists()
    html = resp.content.decode()
    assert 'id="id_email_error"' in html or "refused this address" in html
    assert "Contact e-mail: The mail server refused this address" in html
    assert smtp_server.messages == []

    ok = register(client, community, email="ada@bakery.example.org")
    assert ok.status_code == 302
    assert Business.objects.count() == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ada@bakery.example.org"]]


def test_unreachable_mail_server_stores_nothing(client: Client, community: Community) -> None:
    with override_settings(MAILERS=smtp_settings(free_port())):
        resp = register(client, community)
    assert resp.status_code == 503
    assert "Nothing was stored" in resp.content.decode()
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "Business name", "This field is required."),
        ({"name": "x" * 121}, "Business name", "at most 120 characters"),
        ({"sector": "casino"}, "Sector", "Select a valid choice"),
        ({"size": "huge"}, "Size", "Select a valid choice"),
        ({"area": "atlantis"}, "Area", "Select a valid choice"),
        ({"email": "not-an-address"}, "Contact e-mail", "valid email"),
        ({"language": "xx"}, "Language of our e-mails", "Select a valid choice"),
        ({"agree": ""}, "We agree", "Tick this box"),
    ],
)
def test_bad_input_names_the_field(
    client: Client, community: Community, changes: dict[str, str], field: str, message: str
) -> None:
    resp = register(client, community, **changes)
    assert resp.status_code == 422
    html = resp.content.decode()
    assert field in html and message in html
    assert not Business.objects.exists()
    assert mail.outbox == []


def test_area_outside_the_zone_is_refused(client: Client, community: Community) -> None:
    from streetlight.reports.models import Area

    other = Area.objects.exclude(pk__in=community.areas.all()).first()
    assert other is not None
    resp = register(client, community, area=other.code)
    assert resp.status_code == 422 and "Area" in resp.content.decode()


def test_closed_or_unknown_community_is_404(client: Client, community: Community) -> None:
    assert client.get("/business/999999/register/").status_code == 404
    community.active = False
    community.save()
    assert register(client, community).status_code == 404
