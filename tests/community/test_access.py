"""Who may run a community: its coordinating agency's operators, supervisors and administrators,
and city administrators. Everyone else gets 403; another agency's coordinator sees a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from streetlight.accounts.models import User
from streetlight.community.models import Business, Community
from tests.staff import PASSWORD, member, signed_in

from .conftest import make_business

pytestmark = pytest.mark.django_db


def pages(community: Community) -> list[str]:
    base = f"/control/community/{community.pk}"
    return [f"{base}/", f"{base}/warnings/new/", f"{base}/drills/new/"]


@pytest.mark.parametrize("role", ["operator", "supervisor", "agency_admin"])
def test_coordinating_roles_get_in(community: Community, role: str) -> None:
    staff = signed_in(member("cyber-desk", role))
    assert staff.get("/control/community/").status_code == 200
    for url in pages(community):
        assert staff.get(url).status_code == 200, url


def test_city_admin_gets_in(community: Community) -> None:
    staff = signed_in(member("city-safety", "city_admin"))
    for url in pages(community):
        assert staff.get(url).status_code == 200


@pytest.mark.parametrize("role", ["case_worker", "analyst"])
def test_other_roles_of_the_agency_are_refused(community: Community, role: str) -> None:
    staff = signed_in(member("cyber-desk", role))
    assert staff.get("/control/community/").status_code == 403
    for url in pages(community):
        assert staff.get(url).status_code == 403


def test_someone_in_no_agency_is_refused(community: Community) -> None:
    staff = signed_in(User.objects.create_user("nobody", password=PASSWORD))
    assert staff.get("/control/community/").status_code == 403


def test_another_agencys_operator_sees_404_and_changes_nothing(community: Community) -> None:
    police = signed_in(member("police", "operator"))
    business, _token = make_business(community, "Kiosk", status="pending")
    for url in pages(community):
        assert police.get(url).status_code == 404
    resp = police.post(f"/control/community/{community.pk}/businesses/{business.pk}/remove/")
    assert resp.status_code == 404
    assert Business.objects.get(pk=business.pk).status == "pending"
    assert "Port businesses" not in police.get("/control/community/").content.decode()


def test_signed_out_goes_to_sign_in(client: Client, community: Community) -> None:
    for url in ["/control/community/", *pages(community)]:
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/" in resp["Location"]


def test_session_without_second_factor_is_signed_out(community: Community) -> None:
    client = Client()
    client.force_login(member("cyber-desk", "operator"), backend="django.contrib.auth.backends.ModelBackend")
    resp = client.get(f"/control/community/{community.pk}/")
    assert resp.status_code == 302


def test_coordinator_removes_a_business(community: Community, coordinator: User) -> None:
    business, token = make_business(community, "Kiosk")
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/businesses/{business.pk}/remove/")
    assert resp.status_code == 302
    business.refresh_from_db()
    assert business.status == "left" and business.left_at is not None
    assert Client().get(f"/business/b/{token}/").status_code == 404


def test_unknown_business_is_404(community: Community, coordinator: User) -> None:
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/businesses/999999/approve/")
    assert resp.status_code == 404


def test_business_list_shows_no_contact_data(community: Community, coordinator: User) -> None:
    make_business(community, "Kiosk", email="owner@kiosk.example.org")
    html = signed_in(coordinator).get(f"/control/community/{community.pk}/").content.decode()
    assert "Kiosk" in html and "owner@kiosk.example.org" not in html
