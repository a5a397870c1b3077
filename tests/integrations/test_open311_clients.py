"""Open311 clients: keys are shown once and stored only as hashes."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from streetlight.accounts.models import User
from streetlight.integrations.models import Open311Client
from streetlight.integrations.selectors import open311_client_get_by_key
from streetlight.integrations.services import open311_client_create
from tests.staff import sign_in

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_the_key_is_stored() -> None:
    client, raw_key = open311_client_create(name="  City app ")
    assert client.name == "City app"
    assert len(raw_key) >= 40 and raw_key not in client.key_hash
    assert client.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert open311_client_get_by_key(raw_key=raw_key) == client


def test_each_client_gets_its_own_key() -> None:
    assert open311_client_create(name="a")[1] != open311_client_create(name="b")[1]


def test_a_blank_name_is_refused() -> None:
    with pytest.raises(ValueError, match="name"):
        open311_client_create(name="  ")


def test_revoked_client_no_longer_authenticates() -> None:
    client, raw_key = open311_client_create(name="Old app")
    Open311Client.objects.filter(pk=client.pk).update(active=False)
    assert open311_client_get_by_key(raw_key=raw_key) is None


def test_management_command_prints_a_working_key() -> None:
    out = StringIO()
    call_command("open311_client_create", "FixMyStreet", stdout=out, stderr=StringIO())
    client = open311_client_get_by_key(raw_key=out.getvalue().strip())
    assert client is not None and client.name == "FixMyStreet"


def test_admin_shows_the_new_key_once(client: Client) -> None:
    admin = User.objects.create_superuser(username="admin", email="admin@example.org", password="x" * 16)
    sign_in(client, admin)
    response = client.post("/admin/integrations/open311client/add/", {"name": "Partner"}, follow=True)
    assert response.status_code == 200
    created = Open311Client.objects.get(name="Partner")
    shown = [str(m) for m in response.context["messages"]]
    raw_key = shown[0].rsplit(": ", 1)[1]
    assert open311_client_get_by_key(raw_key=raw_key) == created
