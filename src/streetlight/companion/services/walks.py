"""The resident's side of a walk: start it, share positions, extend, check in, end."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.audit import services as audit
from streetlight.core.tokens import hash_token, new_token

from .. import conf, mail
from ..drafts import WalkDraft
from ..errors import MailUnavailable, WalkFinished, WalkInvalid
from ..models import Position, TrustedContact, Walk, WalkStatus
from .alerts import walk_timer_set
from .control_room import control_room_checked_in
from .validation import Fix, start_check


@dataclass(frozen=True)
class Started:
    walk: Walk
    resident_token: str
    watch_token: str


def base_url() -> str:
    return str(settings.STREETLIGHT["BASE_URL"]).rstrip("/")


def walk_start(*, draft: WalkDraft, now: datetime | None = None) -> Started:
    """Validate, store and invite the contacts in one transaction: if the mail server refuses one
    address, nothing is kept and (with SMTP, checked before sending) nobody gets an e-mail."""
    now = now or timezone.now()
    expected = start_check(draft, now=now)
    resident_token, watch_token = new_token(), new_token()
    with transaction.atomic():
        walk = Walk.objects.create(
            resident_name=draft.resident_name.strip(),
            destination=draft.destination.strip(),
            destination_lat=draft.destination_lat,
            destination_lon=draft.destination_lon,
            language=draft.language,
            alert_control_room=draft.alert_control_room,
            started_at=now,
            expected_arrival=expected,
            resident_token_hash=hash_token(resident_token),
            watch_token_hash=hash_token(watch_token),
        )
        contacts = [
            TrustedContact.objects.create(walk=walk, email=c.email.strip(), name=c.name.strip(), order=c.slot or i)
            for i, c in enumerate(draft.contacts, start=1)
        ]
        watch_url = f"{base_url()}/walk/watch/{watch_token}/"
        messages = [
            mail.render(
                template="invite",
                language=walk.language,
                to=c.email,
                context={"walk": walk, "contact": c, "url": watch_url},
            )
            for c in contacts
        ]
        try:
            mail.send_all_or_none(messages)
        except (smtplib.SMTPException, OSError) as exc:
            if not isinstance(exc, mail.Refused):
                raise MailUnavailable(repr(exc)) from exc
            index = next(c.order for c in contacts if c.email == exc.address)
            raise WalkInvalid(
                {
                    f"contact_email_{index}": _("The mail server refused this address: %(a)s. Check it.")
                    % {"a": exc.address}
                }
            ) from exc
        audit.record(
            actor=None,
            action="walk.started",
            target=walk,
            data={
                "contacts": len(contacts),
                "control_room": walk.alert_control_room,
                "minutes": round((expected - now).total_seconds() / 60),
            },
        )
        walk_timer_set(walk)
    return Started(walk=walk, resident_token=resident_token, watch_token=watch_token)


def _locked(walk: Walk) -> Walk:
    """Re-read the walk under a row lock: a tick and the resident may act on it at the same time."""
    locked = Walk.objects.select_for_update().get(pk=walk.pk)
    if locked.finished or locked.purged_at is not None:
        raise WalkFinished(locked)
    return locked


@transaction.atomic
def walk_position_add(*, walk: Walk, fix: Fix, now: datetime | None = None) -> Position:
    """Keep one position of an active or alerted walk (contacts and responders follow an alerted one)."""
    now = now or timezone.now()
    walk = _locked(walk)
    return Position.objects.create(walk=walk, lat=fix.lat, lon=fix.lon, accuracy=fix.accuracy, recorded_at=now)


@transaction.atomic
def walk_extend(*, walk: Walk, now: datetime | None = None) -> Walk:
    """A few more minutes before the contacts are alerted, never past the longest walk."""
    now = now or timezone.now()
    walk = _locked(walk)
    if walk.status != WalkStatus.ACTIVE:
        raise WalkInvalid({"extend": _("The alert has already gone out: check in to tell your contacts you are safe.")})
    latest = walk.started_at + conf.hours("MAX_HOURS")
    wanted = max(walk.expected_arrival, now) + conf.minutes("EXTEND_MINUTES")
    if walk.expected_arrival >= latest:
        raise WalkInvalid({"extend": _("A walk can last at most %(n)d hours.") % {"n": conf.number("MAX_HOURS")}})
    walk.expected_arrival = min(wanted, latest)
    walk.save(update_fields=["expected_arrival"])
    audit.record(actor=None, action="walk.extended", target=walk, data={"minutes": conf.number("EXTEND_MINUTES")})
    walk_timer_set(walk)
    return walk


def walk_finish(*, walk: Walk, arrived: bool, now: datetime | None = None) -> Walk:
    """Check in ("I've arrived") or stop sharing. After an alert, the contacts (and the control room,
    if it was told) learn that the resident is safe. Positions go after a short grace (walks_purge)."""
    now = now or timezone.now()
    with transaction.atomic():
        walk = _locked(walk)
        was_alerted = walk.status == WalkStatus.ALERTED
        walk.status = WalkStatus.ARRIVED if arrived else WalkStatus.ENDED
        walk.finished_at = now
        walk.save(update_fields=["status", "finished_at"])
        audit.record(actor=None, action="walk.finished", target=walk, data={"status": walk.status})
        if was_alerted:
            control_room_checked_in(walk=walk, now=now)
    if was_alerted:
        mail.send_each(
            [
                mail.render(template="safe", language=walk.language, to=c.email, context={"walk": walk, "contact": c})
                for c in walk.contacts.all()
            ]
        )
    return walk
