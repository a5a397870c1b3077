"""Contact details at rest: encrypted with AES-256-GCM under a key ring kept out of the database,
found again through a blind index, re-encrypted when a key is added."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from streetlight.core import crypto, keys
from streetlight.reports.models import ReportContact

pytestmark = pytest.mark.django_db
CONTEXT = "reports_reportcontact.email"


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "field-keys"
    monkeypatch.setenv("STREETLIGHT_KEYS_FILE", str(path))
    monkeypatch.delenv("STREETLIGHT_KEYS", raising=False)
    crypto.forget_keyring()
    yield path
    crypto.forget_keyring()


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM reports_reportcontact WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return str(cursor.fetchone()[0])


@pytest.fixture
def contact(client: Client, report_json: dict[str, Any]) -> ReportContact:
    body = {
        **report_json,
        "consent": {**report_json["consent"], "contact": True},
        "contact": {"name": "Ada Rossi", "email": "Ada.Rossi@Example.org", "phone": "+39 011 123 4567"},
    }
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201, resp.content
    return ReportContact.objects.get(report__reference=resp.json()["reference"])


def test_a_value_round_trips_and_never_encrypts_the_same_way_twice(key_file: Path) -> None:
    first, second = (
        crypto.encrypt("victim@example.org", context=CONTEXT),
        crypto.encrypt("victim@example.org", context=CONTEXT),
    )
    assert first != second and "victim" not in first
    assert crypto.decrypt(first, context=CONTEXT) == "victim@example.org"
    assert key_file.stat().st_mode & 0o777 == 0o600  # created on first use, readable by its owner only


def test_a_value_moved_to_another_column_or_altered_does_not_decrypt(key_file: Path) -> None:
    token = crypto.encrypt("victim@example.org", context=CONTEXT)
    with pytest.raises(crypto.KeyRingError, match="does not decrypt"):
        crypto.decrypt(token, context="reports_reportcontact.phone")
    prefix, kid, body = token.split(":", 2)
    flipped = bytearray(base64.b64decode(body))
    flipped[-1] ^= 1
    with pytest.raises(crypto.KeyRingError, match="does not decrypt"):
        crypto.decrypt(f"{prefix}:{kid}:{base64.b64encode(bytes(flipped)).decode()}", context=CONTEXT)


def test_stored_contact_details_are_ciphertext_in_the_database(contact: ReportContact) -> None:
    for column, clear in (("email", "Ada.Rossi@Example.org"), ("phone", "+39 011 123 4567"), ("name", "Ada Rossi")):
        stored = raw(column, contact.pk)
        assert stored.startswith("sl1:") and clear not in stored and "Rossi" not in stored
    fresh = ReportContact.objects.get(pk=contact.pk)
    assert (fresh.email, fresh.phone, fresh.name) == ("Ada.Rossi@Example.org", "+39 011 123 4567", "Ada Rossi")
    assert fresh.email_index == crypto.blind_index("  ada.rossi@example.ORG ")
    assert ReportContact.objects.filter(email_index=crypto.blind_index("ada.rossi@example.org")).count() == 1


def test_adding_a_key_and_rotating_re_encrypts_everything_once(key_file: Path, contact: ReportContact) -> None:
    contact.save()  # under this test's key file
    old = crypto.key_id(raw("email", contact.pk))
    new = keys.key_add()
    assert new != old and crypto.keyring().current == new
    with connection.cursor() as cursor:  # a row written before encryption existed
        cursor.execute("UPDATE reports_reportcontact SET phone = %s WHERE id = %s", ["+32 2 555 0101", contact.pk])
    assert ReportContact.objects.get(pk=contact.pk).phone == "+32 2 555 0101"
    done = keys.rotate(batch=1)
    assert done["reports.ReportContact"] == 1  # one row: its name, e-mail and phone together
    assert {crypto.key_id(raw(c, contact.pk)) for c in ("name", "email", "phone")} == {new}
    assert ReportContact.objects.get(pk=contact.pk).email == "Ada.Rossi@Example.org"
    assert keys.rotate()["reports.ReportContact"] == 0  # nothing left: a second run is harmless


def test_a_malformed_key_ring_is_refused_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    crypto.forget_keyring()
    monkeypatch.setenv("STREETLIGHT_KEYS", "k1:not-base64!!,index:" + base64.b64encode(bytes(32)).decode())
    with pytest.raises(crypto.KeyRingError, match="not valid base64"):
        crypto.keyring()
    crypto.forget_keyring()
    monkeypatch.setenv("STREETLIGHT_KEYS", "k1:" + base64.b64encode(bytes(16)).decode())
    with pytest.raises(crypto.KeyRingError, match="32 bytes"):
        crypto.keyring()
    crypto.forget_keyring()
