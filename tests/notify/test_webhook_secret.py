"""Webhook secrets are encrypted at rest: the database holds no usable signing key or API key."""

from __future__ import annotations

import pytest
from django.db import connection

from streetlight.notify.models import Webhook
from streetlight.notify.signing import sign, verify
from streetlight.routing.models import Agency

pytestmark = pytest.mark.django_db


def test_the_secret_is_stored_encrypted_and_still_signs() -> None:
    secret = "shared-secret-with-the-police-rms"
    webhook = Webhook.objects.create(
        agency=Agency.objects.get(code="police"), url="https://rms.example/hook", secret=secret
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM notify_webhook WHERE id = %s", [webhook.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored
    again = Webhook.objects.get(pk=webhook.pk)
    assert again.secret == secret
    body = b'{"event": "report.routed"}'
    assert verify(secret, body, sign(again.secret, body))
