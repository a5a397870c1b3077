"""Queue and send notifications to agencies. Nothing here runs in a request: rows and tasks are
written in the caller's transaction, sending happens in `streetlight worker`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from streetlight.audit import services as audit
from streetlight.reports.models import Report
from streetlight.routing.models import Agency, Assignment

from .models import Delivery, Webhook
from .signing import sign

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (10, 30, 120, 600, 1800, 3600, 3 * 3600)
TIMEOUT_SECONDS = 5.0


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def report_payload(report: Report, agency: Agency) -> dict[str, Any]:
    """What an agency's own system receives: the report as its staff see it, never contact details."""
    assignment = report.assignments.filter(agency=agency).first()
    base = settings.STREETLIGHT["BASE_URL"].rstrip("/")
    return {
        "reference": report.reference,
        "url": f"{base}/control/reports/{report.pk}/",
        "category": report.category.code,
        "kind": report.kind,
        "sensitive": report.category.sensitive,
        "status": report.status,
        "received_at": report.created_at.isoformat(),
        "occurred_from": report.occurred_from.isoformat(),
        "area": report.area.code if report.area else None,
        "lat": report.lat,
        "lon": report.lon,
        "description": report.description,
        "language": report.language,
        "deadline": assignment.deadline_at.isoformat() if assignment else None,
    }


def _queue_webhooks(report: Report, agencies: Iterable[Agency], event: str) -> list[Delivery]:
    from .tasks import deliver_webhook

    deliveries = []
    now = timezone.now()
    for webhook in Webhook.objects.filter(agency__in=list(agencies), active=True).select_related("agency"):
        delivery = Delivery.objects.create(
            webhook=webhook,
            event=event,
            created_at=now,
            payload={"event": event, "occurred_at": now.isoformat(), "report": report_payload(report, webhook.agency)},
        )
        deliver_webhook.enqueue(delivery_id=delivery.pk)
        deliveries.append(delivery)
    return deliveries


@transaction.atomic(savepoint=False)  # a step of the report's processing: no savepoint round trips
def assignments_notify(*, assignments: list[Assignment]) -> None:
    """New assignments: an e-mail to each agency that has an address, and its webhooks."""
    from .tasks import send_assignment_email

    for assignment in assignments:
        if assignment.agency.email:
            send_assignment_email.enqueue(assignment_id=assignment.pk)
        _queue_webhooks(assignment.report, [assignment.agency], "report.assigned")


@transaction.atomic
def report_changed_notify(*, report: Report, event: str) -> None:
    """A change on a report: the webhooks of every agency working it."""
    agencies = Agency.objects.filter(assignments__report=report, active=True).distinct()
    _queue_webhooks(report, agencies, event)


def open311_form(delivery: Delivery) -> dict[str, str]:
    """A GeoReport v2 `POST requests` body: the mapped service code, the place and the description;
    never the reporter's contact details."""
    report = delivery.payload["report"]
    codes = delivery.webhook.service_codes or {}
    form = {
        "api_key": delivery.webhook.secret,
        "service_code": str(codes.get(report["category"], report["category"])),
        "description": f"{report['reference']}: {report['description']}"[:4000],
    }
    if report.get("lat") is not None and report.get("lon") is not None:
        form |= {"lat": str(report["lat"]), "long": str(report["lon"])}
    else:
        form["address_string"] = report.get("area") or "unknown"
    return form


def open311_request_id(response: httpx.Response) -> str:
    try:
        body = response.json()
        first = body[0] if isinstance(body, list) and body else {}
        return str(first.get("service_request_id") or first.get("token") or "")[:100]
    except ValueError:
        return ""


def delivery_attempt(*, delivery_id: int) -> timedelta | None:
    """POST one delivery. Returns the delay before the next attempt, or None when done (delivered,
    or given up after MAX_ATTEMPTS). The same key is sent on every attempt."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id, status="pending").first()
    if delivery is None:
        return None
    body = json.dumps({**delivery.payload, "delivery": str(delivery.key)}, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Streetlight-Webhooks/1",
        "Streetlight-Event": delivery.event,
        "Streetlight-Delivery": str(delivery.key),
        "Idempotency-Key": str(delivery.key),
        "Streetlight-Signature": sign(delivery.webhook.secret, body),
    }
    delivery.attempts += 1
    try:
        if delivery.webhook.kind == Webhook.Kind.OPEN311:
            response = httpx.post(
                delivery.webhook.url,
                data=open311_form(delivery),
                timeout=TIMEOUT_SECONDS,
                headers={"User-Agent": headers["User-Agent"]},
            )
        else:
            response = httpx.post(delivery.webhook.url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
        delivery.last_status_code, delivery.last_error = response.status_code, ""
        ok = 200 <= response.status_code < 300
        if ok and delivery.webhook.kind == Webhook.Kind.OPEN311:
            delivery.remote_id = open311_request_id(response)
    except httpx.HTTPError as exc:
        delivery.last_status_code, delivery.last_error, ok = None, f"{type(exc).__name__}: {exc}"[:300], False
    if ok:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        audit.record(actor=None, action="webhook.failed", target=delivery, data={"attempts": delivery.attempts})
    delivery.save()
    return backoff(delivery.attempts) if delivery.status == Delivery.Status.PENDING else None


def escalations_notify(*, assignments: list[Assignment]) -> int:
    """One e-mail per late assignment to the supervisors of its agency who have an address."""
    from streetlight.routing.models import Membership

    sent = 0
    base = settings.STREETLIGHT["BASE_URL"].rstrip("/")
    for assignment in assignments:
        emails = list(
            Membership.objects.filter(agency=assignment.agency, role="supervisor", user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not emails:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "assignment": assignment,
                "report": assignment.report,
                "url": f"{base}/control/reports/{assignment.report_id}/",
            }
            subject = render_to_string("notify/escalation_subject.txt", context).strip()
            body = render_to_string("notify/escalation_email.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        sent += 1
    return sent


def reporter_email_send(*, report_id: int, kind: str, text: str) -> bool:
    """Tell a reporter who left an e-mail address and agreed to be contacted: a reply, or that
    their report is resolved. In their language; reading the address is audited."""
    from streetlight.reports.selectors import report_contact_read

    report = Report.objects.select_related("category").filter(pk=report_id).first()
    if report is None or not report.may_contact:
        return False
    contact = report_contact_read(report=report, actor=None, purpose=f"e-mail to the reporter: {kind}")
    if contact is None or not contact.email:
        return False
    with translation.override(report.language):
        context = {"report": report, "kind": kind, "text": text, "category": report.category.name()}
        subject = render_to_string("notify/reporter_subject.txt", context).strip()
        body = render_to_string("notify/reporter_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email])
    return True


def assignment_email_send(*, assignment_id: int) -> bool:
    """A short e-mail in the agency's language: reference, category, deadline and a link. No
    description and no personal data travel by e-mail."""
    assignment = Assignment.objects.select_related("report__category", "agency").filter(pk=assignment_id).first()
    if assignment is None or not assignment.agency.email:
        return False
    report = assignment.report
    with translation.override(assignment.agency.language):
        context = {
            "report": report,
            "assignment": assignment,
            "category": report.category.name(),
            "url": f"{settings.STREETLIGHT['BASE_URL'].rstrip('/')}/control/reports/{report.pk}/",
        }
        subject = render_to_string("notify/assignment_subject.txt", context).strip()
        body = render_to_string("notify/assignment_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [assignment.agency.email])
    return True
