"""Every write of the nightwalks app: organised walks and the audits sent along them.

One transaction per call, with its audit-log entry inside it; photos are re-encoded without any
metadata (the reports' photo intake) before anything is written."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.toolkit.geo import is_night

from . import selectors
from .drafts import AuditDraft, WalkClosed, WalkDraft, WalkInvalid
from .models import AuditPhoto, AuditPoint, SafetyWalk, WalkAudit, WalkStatus
from .parameters import CODES
from .validation import CheckedPoint, check_audit, check_walk

CODE_LENGTH = 8


@dataclass(frozen=True)
class CreatedWalk:
    walk: SafetyWalk
    code: str  # shown once to the organiser; only its keyed hash is stored


def new_code() -> str:
    """Eight characters (≈ 40 bits) from an alphabet without look-alikes, shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(selectors.CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def walk_create(*, organiser: User, draft: WalkDraft) -> CreatedWalk:
    """A planned walk of one of the organiser's agencies, with a fresh join code."""
    now = timezone.now()
    checked = check_walk(draft, agency_ids=selectors.organiser_agency_ids(user=organiser), now=now)
    assert draft.agency_id is not None  # check_walk refuses anything else
    code = new_code()
    walk = SafetyWalk.objects.create(
        title=draft.title.strip(),
        agency_id=draft.agency_id,
        organiser=organiser,
        area=checked.area,
        meeting_point=draft.meeting_point.strip(),
        starts_at=checked.starts_at,
        route=checked.route,
        code_hash=selectors.code_hash(code),
        created_at=now,
    )
    audit.record(actor=organiser, action="safety_walk.created", target=walk, data={"agency": walk.agency_id})
    return CreatedWalk(walk=walk, code=code)


@transaction.atomic
def walk_new_code(*, organiser: User, walk: SafetyWalk) -> str:
    """A new join code (the old one stops working): the organiser lost it, or it leaked."""
    if walk.status == WalkStatus.CLOSED:
        raise WalkClosed(walk.title)
    code = new_code()
    SafetyWalk.objects.filter(pk=walk.pk).update(code_hash=selectors.code_hash(code))
    audit.record(actor=organiser, action="safety_walk.code_renewed", target=walk)
    return code


@transaction.atomic
def walk_close(*, organiser: User, walk: SafetyWalk) -> SafetyWalk:
    """No more audits for this walk; closing twice changes nothing."""
    locked = SafetyWalk.objects.select_for_update().get(pk=walk.pk)
    if locked.status == WalkStatus.CLOSED:
        return locked
    locked.status, locked.closed_at = WalkStatus.CLOSED, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit.record(actor=organiser, action="safety_walk.closed", target=locked, data={"audits": locked.audits.count()})
    return locked


def _replay(key: str | None) -> WalkAudit | None:
    return WalkAudit.objects.filter(idempotency_key=key).first() if key else None


def audit_submit(*, draft: AuditDraft, walk: SafetyWalk | None = None) -> WalkAudit:
    """Store an audit with its points and cleaned photos in one transaction. A retry with the same
    idempotency key gets the first audit back instead of a copy."""
    if (existing := _replay(draft.idempotency_key)) is not None:
        return existing
    checked = check_audit(draft)  # decodes photos: outside the transaction, which stays short
    try:
        return _audit_store(draft=draft, walk=walk, checked=checked)
    except IntegrityError:
        if (existing := _replay(draft.idempotency_key)) is not None:  # a concurrent retry won
            return existing
        raise


@transaction.atomic
def _audit_store(*, draft: AuditDraft, walk: SafetyWalk | None, checked: list[CheckedPoint]) -> WalkAudit:
    now = timezone.now()
    if walk is not None:
        walk = SafetyWalk.objects.select_for_update().get(pk=walk.pk)
        if walk.status == WalkStatus.CLOSED:
            raise WalkInvalid({"walk": _("This walk is closed: it takes no more audits.")})
        if walk.status == WalkStatus.PLANNED:
            walk.status = WalkStatus.OPEN
            walk.save(update_fields=["status"])
    lat = sum(c.lat for c in checked) / len(checked)
    lon = sum(c.lon for c in checked) / len(checked)
    record = WalkAudit.objects.create(
        walk=walk,
        submitted_at=now,
        is_night=is_night(now, lat, lon),
        comment=draft.comment.strip(),
        language=draft.language,
        idempotency_key=draft.idempotency_key or None,
    )
    photos = 0
    for order, item in enumerate(checked, start=1):
        point = AuditPoint.objects.create(
            audit=record,
            order=order,
            lat=item.lat,
            lon=item.lon,
            area=item.area,
            comment=item.draft.comment.strip(),
            **{code: item.draft.ratings.get(code) for code in CODES},
        )
        for photo in item.photos:
            AuditPhoto.objects.create(
                point=point,
                image=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.jpg"),
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size=len(photo.content),
                added_at=now,
            )
            photos += 1
    audit.record(
        actor=None,
        action="safety_walk.audit_submitted",
        target=record,
        data={"walk": walk.pk if walk else None, "points": len(checked), "photos": photos},
    )
    return record
