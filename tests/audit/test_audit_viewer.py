"""The control room's audit log: supervisors and city administrators only, each seeing what they
may; filters, pages, and the chain's state on top."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit import services
from streetlight.audit.models import AuditEntry
from tests.staff import member, signed_in

from .conftest import raw_sql

pytestmark = pytest.mark.django_db
URL = "/control/audit/"


@pytest.fixture
def officer() -> User:
    """A police case worker who read a reporter's contact details."""
    user = member("police", "case_worker", username="officer-ana")
    services.record(actor=user, action="report.contact_read", target=user, data={"purpose": "call back"})
    return user


@pytest.fixture
def helper() -> User:
    """A victim-support worker, whose work the police supervisor has no business seeing."""
    user = member("victim-support", "case_worker", username="helper-bo")
    services.record(actor=user, action="report.note_added", target=user, data={"agency": "victim-support"})
    return user


def test_a_city_admin_sees_every_entry_and_an_intact_chain(officer: User, helper: User) -> None:
    services.record(actor=None, action="catalog.areas_loaded", data={"count": 8})
    services.audit_checkpoint()
    page = signed_in(member("city-safety", "city_admin")).get(URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    for seen in ("officer-ana", "helper-bo", "catalog.areas_loaded", "purpose: call back"):
        assert seen in html
    assert "Intact. The last checkpoint seals every entry up to" in html and 'role="alert"' not in html


def test_a_supervisor_sees_only_what_their_agencys_staff_did(officer: User, helper: User) -> None:
    services.record(actor=None, action="catalog.areas_loaded", data={"count": 8})
    html = signed_in(member("police", "supervisor")).get(URL).content.decode()
    assert "officer-ana" in html
    assert "helper-bo" not in html and "catalog.areas_loaded" not in html


@pytest.mark.parametrize("role", ["operator", "case_worker", "analyst", "agency_admin"])
def test_other_roles_are_refused(role: str) -> None:
    assert signed_in(member("police", role)).get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_filters_by_action_actor_target_and_dates(officer: User, helper: User) -> None:
    client = signed_in(member("city-safety", "city_admin"))
    today = timezone.localdate()

    def shown(**query: str) -> set[str]:
        response = client.get(URL, query)
        assert response.status_code == 200
        return {who for who in ("officer-ana", "helper-bo") if f"<td>{who}</td>" in response.content.decode()}

    assert shown(action="report.contact") == {"officer-ana"}
    assert shown(actor="HELPER-BO") == {"helper-bo"}
    assert shown(target=f"accounts.user:{officer.pk}") == {"officer-ana"}
    assert shown(since=today.isoformat(), until=today.isoformat()) == {"officer-ana", "helper-bo"}
    assert shown(until=(today - timedelta(days=1)).isoformat()) == set()


def test_a_date_range_the_wrong_way_round_is_explained_not_listed(officer: User) -> None:
    today = timezone.localdate()
    query = {"since": today.isoformat(), "until": (today - timedelta(days=3)).isoformat()}
    response = signed_in(member("city-safety", "city_admin")).get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date is before the start date." in html and "officer-ana" not in html


def test_pages_of_fifty_newest_first_keeping_the_filters(officer: User) -> None:
    for i in range(55):
        services.record(actor=officer, action="report.viewed_for_test", data={"i": i})
    client = signed_in(member("city-safety", "city_admin"))
    first = client.get(URL, {"action": "report.viewed_for_test"}).content.decode()
    assert "55 entries" in first and "i: 54" in first and "i: 4<" not in first
    assert 'href="?action=report.viewed_for_test&amp;page=2"' in first
    second = client.get(URL, {"action": "report.viewed_for_test", "page": "2"}).content.decode()
    assert "i: 4<" in second and "i: 54" not in second


def test_a_tampered_log_is_announced(officer: User) -> None:
    services.audit_checkpoint()
    entry = AuditEntry.objects.get(action="report.contact_read")
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_label = 'nobody' WHERE seq = %s", [entry.seq])
    html = signed_in(member("city-safety", "city_admin")).get(URL).content.decode()
    assert 'role="alert"' in html and f"The log was tampered with at entry #{entry.seq} (edited)." in html


def test_reading_the_log_is_not_itself_recorded(officer: User) -> None:
    client = signed_in(member("police", "supervisor"))
    before = AuditEntry.objects.count()
    assert client.get(URL).status_code == 200
    assert AuditEntry.objects.count() == before
