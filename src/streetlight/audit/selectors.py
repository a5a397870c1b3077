"""Reads of the audit log, already limited to what the caller may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.routing.enums import Role
from streetlight.routing.models import Membership

from .models import AuditCheckpoint, AuditEntry
from .verification import Verification, verify_chain


def audit_entries_for(*, target: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


def _is_city_admin(user: User) -> bool:
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role=Role.CITY_ADMIN).exists()


def may_view_audit(*, user: User | AnonymousUser) -> bool:
    """Supervisors and city administrators read the audit log; nobody else does."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return _is_city_admin(user) or Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists()


def _day_start(day: date) -> datetime:
    """Midnight in the city's time zone: the dates a supervisor types are local dates."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list_visible_to(
    *,
    user: User | AnonymousUser,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Newest first. City administrators see the whole log. A supervisor sees what the staff of the
    agencies they supervise did, and nothing else: not other agencies' work, not the system's, not
    the reasons given for a person's data request. `target` is `type:id` (`reports.report:12`), a
    type, or an id; `until` includes that whole day."""
    if not may_view_audit(user=user):
        return AuditEntry.objects.none()
    assert isinstance(user, User)
    entries = AuditEntry.objects.order_by("-seq")
    if not _is_city_admin(user):
        supervised = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values("agency")
        staff = Membership.objects.filter(agency__in=supervised).values("user")
        entries = entries.filter(actor__in=staff)
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    if target:
        kind, sep, ident = target.rpartition(":")
        if sep:
            entries = entries.filter(target_type=kind.lower(), target_id=ident)
        else:
            entries = entries.filter(Q(target_type=target.lower()) | Q(target_id=target))
    if since:
        entries = entries.filter(at__gte=_day_start(since))
    if until:
        entries = entries.filter(at__lt=_day_start(until + timedelta(days=1)))
    return entries


def audit_chain_status() -> Verification:
    """Quick enough for a page: the last checkpoint's signature and root, and the links of the
    entries written since. `streetlight audit verify` checks the whole log."""
    return verify_chain(since=AuditCheckpoint.objects.order_by("-last_seq").first())
