"""Signed webhooks: a receiver that fails three times then succeeds gets the message once, and the
documented signature recipe verifies it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from streetlight.notify.models import Delivery, Webhook
from streetlight.notify.services import assignment_email_send, delivery_attempt
from streetlight.notify.signing import sign, verify
from streetlight.reports.models import Report
from streetlight.routing.models import Agency

from .processing import run_processing

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A real HTTP endpoint on localhost that fails the first `failures` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[dict[str, Any]] = []
        self.accepted: dict[str, dict[str, Any]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"headers": dict(self.headers), "body": body})
                if len(receiver.calls) <= receiver.failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                if not verify(SECRET, body, self.headers["Streetlight-Signature"]):
                    self.send_response(401)
                    self.end_headers()
                    return
                receiver.accepted.setdefault(self.headers["Streetlight-Delivery"], json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=3)
    yield r
    r.server.shutdown()


@pytest.fixture
def routed(client: Client, report_json: dict[str, Any], receiver: Receiver) -> Report:
    Webhook.objects.create(agency=Agency.objects.get(code="police"), url=receiver.url, secret=SECRET)
    resp = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json")
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    run_processing(report)  # the worker's turn: the intake routed it, the worker notifies
    return report


def test_failing_receiver_gets_the_message_exactly_once(routed: Report, receiver: Receiver) -> None:
    delivery = Delivery.objects.get()
    delays = [delivery_attempt(delivery_id=delivery.pk) for _ in range(6)]
    assert [d is not None for d in delays] == [True, True, True, False, False, False]
    assert delays[0] is not None and delays[1] is not None and delays[1] > delays[0]  # back-off grows
    assert len(receiver.calls) == 4
    assert {c["headers"]["Streetlight-Delivery"] for c in receiver.calls} == {str(delivery.key)}
    assert list(receiver.accepted) == [str(delivery.key)]
    payload = receiver.accepted[str(delivery.key)]
    assert payload["event"] == "report.assigned" and payload["report"]["reference"] == routed.reference
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 4)


def test_payload_never_carries_contact_details(client: Client, report_json: dict[str, Any], receiver: Receiver) -> None:
    receiver.failures = 0
    Webhook.objects.create(agency=Agency.objects.get(code="police"), url=receiver.url, secret=SECRET)
    body = {
        **report_json,
        "consent": {**report_json["consent"], "contact": True},
        "contact": {"email": "private@example.org", "phone": "+39 011 555 0199"},
    }
    ref = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()["reference"]
    report = Report.objects.select_related("category__parent", "area").get(reference=ref)
    run_processing(report)  # the worker's turn: the intake routed it, the worker notifies
    delivery_attempt(delivery_id=Delivery.objects.get().pk)
    raw = receiver.calls[0]["body"].decode()
    assert "private@example.org" not in raw and "555 0199" not in raw


def test_delivery_task_is_queued_in_the_same_transaction(routed: Report) -> None:
    assert DBTaskResult.objects.filter(task_path="streetlight.notify.tasks.deliver_webhook").count() == 1


def test_unreachable_receiver_is_retried_then_given_up(routed: Report, receiver: Receiver) -> None:
    receiver.server.shutdown()
    receiver.server.server_close()
    delivery = Delivery.objects.get()
    results = [delivery_attempt(delivery_id=delivery.pk) for _ in range(8)]
    delivery.refresh_from_db()
    assert results[-1] is None and all(r is not None for r in results[:-1])
    assert (delivery.status, delivery.attempts) == ("failed", 8)
    assert delivery.last_error


def test_signature_recipe() -> None:
    body = b'{"event":"report.assigned"}'
    header = sign(SECRET, body, timestamp=1_800_000_000)
    assert verify(SECRET, body, header, now=1_800_000_060)
    assert not verify(SECRET, body + b" ", header, now=1_800_000_060)  # body changed
    assert not verify("other-secret", body, header, now=1_800_000_060)
    assert not verify(SECRET, body, header, now=1_800_000_000 + 3600)  # replayed an hour later
    assert not verify(SECRET, body, "garbage", now=1_800_000_000)


def test_agency_gets_a_short_email_without_personal_data(routed: Report) -> None:
    from streetlight.routing.models import Assignment

    assignment = Assignment.objects.get(report=routed)
    assert assignment_email_send(assignment_id=assignment.pk)
    message = mail.outbox[-1]
    assert routed.reference in message.subject
    assert message.to == [assignment.agency.email]
    assert routed.description not in message.body
    assert f"/control/reports/{routed.pk}/" in message.body


def test_supervisors_hear_of_late_assignments(routed: Report) -> None:
    from datetime import timedelta

    from streetlight.accounts.models import User
    from streetlight.notify.services import escalations_notify
    from streetlight.routing.models import Assignment, Membership
    from streetlight.routing.services import assignments_escalate

    boss = User.objects.create_user("boss", email="boss@police.example.org", password="b" * 16)
    Membership.objects.create(user=boss, agency=Agency.objects.get(code="police"), role="supervisor")
    assignment = Assignment.objects.get(report=routed)
    late = assignments_escalate(now=assignment.deadline_at + timedelta(minutes=5))
    assert escalations_notify(assignments=late) == 1
    assert mail.outbox[-1].to == ["boss@police.example.org"]
    assert routed.reference in mail.outbox[-1].subject
