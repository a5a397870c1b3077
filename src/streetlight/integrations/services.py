"""Writes of the integrations app: Open311 clients and reports arriving through Open311; agencies'
API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports import public_selectors
from streetlight.reports.drafts import Consent, ContactDraft, ReportDraft
from streetlight.reports.enums import LocationKind, Source
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.services import Submitted, report_submit
from streetlight.routing.enums import Role
from streetlight.routing.models import Agency, Membership

from .models import AgencyToken, Open311Client, TokenScope
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


TOKEN_PREFIX = "slt_"  # noqa: S105 - a public prefix that lets secret scanners recognise our keys
MAX_TOKEN_DAYS = 366
TOUCH_EVERY = timedelta(minutes=1)


@transaction.atomic
def agency_token_create(
    *, agency: Agency, name: str, scopes: list[str], valid_days: int, actor: AbstractBaseUser | AnonymousUser | None
) -> tuple[AgencyToken, str]:
    """A key for a partner system, returned once. Every key ends (at most a year): a forgotten
    integration stops by itself instead of keeping access for ever."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name or len(name) > 120:
        errors["name"] = _("Give the token a name of 1 to 120 characters.")
    unknown = sorted(set(scopes) - set(TokenScope.values))
    if not scopes or unknown:
        errors["scopes"] = _("Choose one or more scopes from the list.")
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        errors["valid_days"] = _("A token is valid for 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}
    if errors:
        raise ReportInvalid(errors)
    account = User.objects.create(username=f"api-{agency.code}-{secrets.token_hex(4)}", first_name=name[:150])
    account.set_unusable_password()
    account.save(update_fields=["password"])
    Membership.objects.create(user=account, agency=agency, role=Role.OPERATOR)
    raw_key = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    now = timezone.now()
    token = AgencyToken.objects.create(
        agency=agency,
        account=account,
        name=name,
        scopes=sorted(set(scopes)),
        key_hash=hash_api_key(raw_key),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    audit.record(
        actor=actor,
        action="api_token.created",
        target=token,
        data={"agency": agency.code, "name": name, "scopes": token.scopes, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw_key


@transaction.atomic
def agency_token_revoke(*, token: AgencyToken, actor: AbstractBaseUser | AnonymousUser | None) -> None:
    """Stop a key at once; its service account can no longer act either."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    User.objects.filter(pk=token.account_id).update(is_active=False)
    audit.record(actor=actor, action="api_token.revoked", target=token, data={"agency": token.agency.code})


def agency_token_touch(*, token: AgencyToken) -> None:
    """When a key was last used, for the admin's review of idle keys; written at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        AgencyToken.objects.filter(pk=token.pk).update(last_used_at=now)


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
