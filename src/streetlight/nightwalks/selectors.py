"""Every read of the nightwalks app, already filtered by who asks.

Organisers are members with role operator, supervisor, agency administrator or city administrator:
they see the walks of the agencies they organise for (a city administrator, every walk). Residents
only ever reach a walk through its join code, and nobody reads another person's audit except an
organiser of that walk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from streetlight.accounts.models import User
from streetlight.core import crypto
from streetlight.reports.models import Area
from streetlight.routing.enums import DESK_ROLES, Role
from streetlight.routing.models import Agency, Membership

from .drafts import WalkClosed, WalkNotFound
from .models import AuditPhoto, AuditPoint, SafetyWalk, WalkAudit, WalkStatus
from .parameters import CODES, feeling_to_safety_score

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud at a meeting point


def normalise_code(code: str) -> str:
    """What people type or paste ("abcd-efgh", "ABCD EFGH", a whole link) as the bare code."""
    tail = code.strip().rstrip("/").rsplit("/", 1)[-1]
    return "".join(c for c in tail.upper() if c.isalnum())


def code_hash(code: str) -> str:
    """A keyed hash (the key ring's index key): a copy of the table alone cannot be brute-forced
    back to the short codes, as a plain SHA-256 of eight characters could."""
    return crypto.blind_index("safety-walk:" + normalise_code(code))


def _staff(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def organiser_agency_ids(*, user: User | AnonymousUser) -> set[int]:
    """Agencies the user may organise walks for (every active agency for a Django superuser)."""
    staff = _staff(user)
    if staff is None:
        return set()
    if staff.is_superuser:
        return set(Agency.objects.filter(active=True).values_list("pk", flat=True))
    return set(
        Membership.objects.filter(user=staff, role__in=DESK_ROLES, agency__active=True).values_list(
            "agency_id", flat=True
        )
    )


def may_organise(*, user: User | AnonymousUser) -> bool:
    return bool(organiser_agency_ids(user=user))


def _sees_every_walk(user: User | AnonymousUser) -> bool:
    staff = _staff(user)
    if staff is None:
        return False
    return staff.is_superuser or Membership.objects.filter(user=staff, role=Role.CITY_ADMIN).exists()


def organiser_agency_choices(*, user: User | AnonymousUser) -> list[tuple[int, str]]:
    ids = organiser_agency_ids(user=user)
    return [(a.pk, a.name) for a in Agency.objects.filter(pk__in=ids).order_by("name")]


def area_choices() -> list[tuple[str, str]]:
    return list(Area.objects.order_by("name").values_list("code", "name"))


def walk_list_for(*, user: User | AnonymousUser) -> QuerySet[SafetyWalk]:
    if not may_organise(user=user):
        return SafetyWalk.objects.none()
    walks = SafetyWalk.objects.select_related("agency", "area", "organiser")
    if _sees_every_walk(user):
        return walks
    return walks.filter(agency_id__in=organiser_agency_ids(user=user))


def walk_get_for(*, user: User | AnonymousUser, walk_id: int) -> SafetyWalk:
    """The walk if the user organises for its agency; WalkNotFound for missing and forbidden alike."""
    walk = walk_list_for(user=user).filter(pk=walk_id).first()
    if walk is None:
        raise WalkNotFound(walk_id)
    return walk


def walk_by_code(*, code: str) -> SafetyWalk:
    """The walk a participant joins; WalkNotFound for an unknown code, WalkClosed once it is closed."""
    normalised = normalise_code(code)
    if not 4 <= len(normalised) <= 32:
        raise WalkNotFound(code)
    walk = SafetyWalk.objects.select_related("area", "agency").filter(code_hash=code_hash(normalised)).first()
    if walk is None:
        raise WalkNotFound(code)
    if walk.status == WalkStatus.CLOSED:
        raise WalkClosed(walk.title)
    return walk


def audit_get(*, audit_id: int) -> WalkAudit | None:
    """For the thank-you page, whose id comes from the sender's own session."""
    return WalkAudit.objects.select_related("walk").filter(pk=audit_id).first()


@dataclass(frozen=True)
class ParameterMean:
    code: str
    mean: float | None
    rated: int


@dataclass(frozen=True)
class WalkSummary:
    walk: SafetyWalk
    participants: int
    points: int
    night_audits: int
    day_audits: int
    means: list[ParameterMean]
    means_night: list[ParameterMean]
    means_day: list[ParameterMean]
    audits: list[WalkAudit] = field(default_factory=list)


def _means(points: list[AuditPoint]) -> list[ParameterMean]:
    out = []
    for code in CODES:
        values = [v for p in points if (v := getattr(p, code)) is not None]
        out.append(ParameterMean(code, round(sum(values) / len(values), 2) if values else None, len(values)))
    return out


def walk_summary(*, walk: SafetyWalk) -> WalkSummary:
    """Participants, points, the mean of each parameter (all, night, day) and every audit with its
    points and photos, for the walk's organisers."""
    audits = list(
        walk.audits.prefetch_related(
            Prefetch("points", queryset=AuditPoint.objects.select_related("area").prefetch_related("photos"))
        ).order_by("submitted_at", "pk")
    )
    points = [p for a in audits for p in a.points.all()]
    night = [p for a in audits if a.is_night for p in a.points.all()]
    day = [p for a in audits if not a.is_night for p in a.points.all()]
    return WalkSummary(
        walk=walk,
        participants=len(audits),
        points=len(points),
        night_audits=sum(1 for a in audits if a.is_night),
        day_audits=sum(1 for a in audits if not a.is_night),
        means=_means(points),
        means_night=_means(night),
        means_day=_means(day),
        audits=audits,
    )


def photo_get_for(*, user: User | AnonymousUser, walk_id: int, photo_id: int) -> AuditPhoto:
    walk = walk_get_for(user=user, walk_id=walk_id)
    photo = AuditPhoto.objects.filter(pk=photo_id, point__audit__walk=walk).first()
    if photo is None:
        raise WalkNotFound(photo_id)
    return photo


@dataclass(frozen=True)
class WalkFeelings:
    """Audit points as inputs of the perceived-insecurity index: area code and 1–5 safety score."""

    area: npt.NDArray[np.object_]
    score: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.score.size)


def safety_walk_feelings(*, start: datetime, end: datetime, day_night: str = "") -> WalkFeelings:
    """Every audit point with an area sent in [start, end) — at night or by day only if asked —
    with its feeling on the index's 1–5 scale (parameters.feeling_to_safety_score)."""
    points = AuditPoint.objects.filter(area__isnull=False, audit__submitted_at__gte=start, audit__submitted_at__lt=end)
    if day_night:
        points = points.filter(audit__is_night=day_night == "night")
    rows = list(points.values_list("area__code", "feeling"))
    return WalkFeelings(
        area=np.array([r[0] for r in rows], dtype=object).reshape(len(rows)),
        score=np.array([feeling_to_safety_score(r[1]) for r in rows], dtype=float).reshape(len(rows)),
    )
