"""Intake: store a report, its contact details, photos and processing task in one transaction."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from streetlight.audit import services as audit
from streetlight.core.tokens import hash_token, new_token

from ..drafts import ReportDraft
from ..errors import IdempotencyConflict, ReportInvalid
from ..lifecycle import Status
from ..models import FollowupToken, Report, ReportContact, StatusChange
from .photos import CleanPhoto, check_photos, clean_photo, photos_store
from .validation import CheckedDraft, check_draft, needs_in_order

if TYPE_CHECKING:
    from streetlight.routing.models import Assignment

logger = logging.getLogger("streetlight.reports")
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass(frozen=True)
class Submitted:
    report: Report
    followup_token: str
    created: bool


def new_reference() -> str:
    """A short public reference; random, so it reveals nothing about volumes."""
    return "SL-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _issue_token(report: Report) -> str:
    token = new_token()
    FollowupToken.objects.create(report=report, token_hash=hash_token(token), created_at=timezone.now())
    return token


def _replay(idempotency_key: str, fingerprint: str) -> Submitted | None:
    existing = Report.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.idempotency_fingerprint != fingerprint:
        raise IdempotencyConflict(idempotency_key)
    with transaction.atomic():
        token = _issue_token(existing)
    return Submitted(report=existing, followup_token=token, created=False)


def report_submit(*, draft: ReportDraft, source: str, idempotency_key: str | None = None) -> Submitted:
    """Validate and store a report. A retry with the same Idempotency-Key returns the first report
    (with a fresh follow-up token, since only hashes are kept); the processing task is written in the
    same transaction as the report, so an answered submission is never lost. The transaction reads
    nothing but the audit chain's head: the catalog, the areas and the routing rules come from
    per-process caches."""
    fingerprint = draft.fingerprint() if idempotency_key else ""
    now = timezone.now()
    try:
        checked = check_draft(draft, now=now)
    except ReportInvalid:
        # A retry is answered with its report even if the catalog changed since the first try.
        if idempotency_key and (replayed := _replay(idempotency_key, fingerprint)):
            return replayed
        raise
    check_photos(draft.photos)
    photos = [clean_photo(p) for p in draft.photos]  # decode outside the transaction
    try:
        with transaction.atomic():
            return _store(draft, checked, photos, source, idempotency_key, fingerprint, now)
    except IntegrityError:
        # A retry: the key's unique index refused the copy (no lookup before, so a first try, the
        # usual case, costs no extra query).
        if idempotency_key and (replayed := _replay(idempotency_key, fingerprint)):
            return replayed
        raise


def _store(
    draft: ReportDraft,
    checked: CheckedDraft,
    photos: list[CleanPhoto],
    source: str,
    idempotency_key: str | None,
    fingerprint: str,
    now: datetime,
) -> Submitted:
    from ..tasks import process_report

    consent = draft.consent
    report = Report.objects.create(
        reference=new_reference(),
        kind=checked.category.kind,
        category=checked.category,
        description=draft.description.strip(),
        language=draft.language,
        source=source,
        status=Status.RECEIVED.value,
        when_kind=draft.when,
        occurred_from=checked.occurred_from,
        occurred_to=checked.occurred_to,
        location_kind=draft.location,
        lat=draft.lat if draft.location == "point" else None,
        lon=draft.lon if draft.location == "point" else None,
        precision_m=draft.precision_m if draft.location == "point" else None,
        area=checked.area,
        address=draft.address.strip()[:300],
        share_police=consent.police,
        share_victim_support=consent.victim_support,
        share_social_services=consent.social_services,
        share_city=consent.city,
        may_contact=consent.contact,
        public_statistics=consent.public_statistics,
        safety_score=draft.safety_score,
        unsafe_reasons=sorted(set(draft.unsafe_reasons)),
        day_night=draft.day_night,
        needs=needs_in_order(draft.needs),
        interpreter_language=draft.interpreter_language.strip(),
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
        created_at=now,
        updated_at=now,
    )
    StatusChange.objects.create(report=report, from_status="", to_status=report.status, at=now)
    if consent.contact and draft.contact is not None and not draft.contact.empty:
        ReportContact.objects.create(
            report=report,
            name=draft.contact.name.strip(),
            email=draft.contact.email.strip(),
            phone=draft.contact.phone.strip(),
        )
    photos_store(report=report, photos=photos, at=now)
    token = _issue_token(report)
    routed = _route_at_once(report, now)
    routed_ids = [assignment.pk for assignment in routed]
    if uses_database_queue():
        process_report.enqueue(report_id=report.pk, routed=routed_ids)  # commits with the report: an outbox
    else:
        transaction.on_commit(lambda: process_report.enqueue(report_id=report.pk, routed=routed_ids))
    # Last before the commit: the chain lock serialises every writer of the log until the commit,
    # so nothing else may run while it is held. The entry names the agencies routed to.
    audit.record(
        actor=None,
        action="report.created",
        target=report,
        data={
            "source": source,
            "category": checked.category.code,
            "recipients": report.recipients,
            "routed_to": [assignment.agency.code for assignment in routed],
        },
    )
    return Submitted(report=report, followup_token=token, created=True)


def _route_at_once(report: Report, now: datetime) -> list[Assignment]:
    """Route in the intake's transaction: the report is on the screens of the agencies it may reach
    the moment it is accepted, whether or not a worker is running. A failure here must not refuse
    the report: it is undone to a savepoint and the worker routes the report instead."""
    from streetlight.routing.services import report_route

    try:
        with transaction.atomic():
            return report_route(report=report, now=now, new_report=True)
    except Exception:
        logger.exception("routing report %s at intake failed; the worker will route it", report.pk)
        return []


def uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def reports_unprocessed_requeue(*, older_than_minutes: int = 5) -> int:
    """Queue again the reports whose processing never ran (possible only with a queue outside the
    database, if a process died between the commit and the send)."""
    from ..tasks import process_report

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(Report.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True))
    for report_id in ids:
        process_report.enqueue(report_id=report_id)
    return len(ids)
