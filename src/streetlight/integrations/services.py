"""Writes of the integrations app: Open311 clients, and reports arriving through Open311."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.audit import services as audit
from streetlight.reports import public_selectors
from streetlight.reports.drafts import Consent, ContactDraft, ReportDraft
from streetlight.reports.enums import LocationKind, Source
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.services import Submitted, report_submit

from .models import Open311Client
from .open311.params import Submission
from .selectors import hash_api_key


@transaction.atomic
def open311_client_create(
    *, name: str, actor: AbstractBaseUser | AnonymousUser | None = None
) -> tuple[Open311Client, str]:
    """Register a client and return it with its API key. The key is shown this once: only its hash
    is kept, so a lost key is replaced, never recovered."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ValueError("give the client a name of 1 to 120 characters")
    raw_key = secrets.token_urlsafe(32)  # 256 random bits
    client = Open311Client.objects.create(name=name, key_hash=hash_api_key(raw_key), created_at=timezone.now())
    audit.record(actor=actor, action="open311.client_created", target=client, data={"name": name})
    return client, raw_key


def _draft(submission: Submission, language: str) -> ReportDraft:
    has_point = submission.lat is not None and submission.lon is not None
    may_contact = bool(submission.email or submission.phone)
    name = f"{submission.first_name} {submission.last_name}".strip()
    return ReportDraft(
        category=submission.service_code,
        description=submission.description,
        language=language,
        location=LocationKind.POINT if has_point else LocationKind.NONE,
        lat=submission.lat if has_point else None,
        lon=submission.lon if has_point else None,
        address=submission.address,
        # Open311 has no consent fields: the client sends a request to the city, so the city may see
        # it and, with an e-mail or phone given, answer; no other agency without the reporter's word.
        consent=Consent(
            police=False,
            victim_support=False,
            social_services=False,
            city=True,
            contact=may_contact,
            public_statistics=True,
        ),
        contact=(ContactDraft(name=name, email=submission.email, phone=submission.phone) if may_contact else None),
    )


@transaction.atomic
def open311_request_submit(*, client: Open311Client, submission: Submission, language: str) -> Submitted:
    """Store a service request as a report, through the same intake as every other channel, and
    note which client sent it. Only published, non-sensitive categories are accepted here."""
    if public_selectors.open311_category_get(code=submission.service_code) is None:
        raise ReportInvalid({"category": _("Choose a service_code from the list of services.")})
    submitted = report_submit(draft=_draft(submission, language), source=Source.OPEN311, idempotency_key=None)
    audit.record(
        actor=None,
        action="open311.request_submitted",
        target=submitted.report,
        data={"client": client.pk},
        actor_label=f"open311:{client.name}"[:150],
    )
    return submitted
