"""Every read of the community app, already filtered by who asks: coordinators see only the
communities their agency coordinates; a business sees only what its own token opens."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from streetlight.alerts.models import AlertInfo
from streetlight.core.tokens import hash_token
from streetlight.reports.models import Area
from streetlight.routing.enums import Role
from streetlight.routing.models import Membership

from .errors import NotFound
from .models import Business, Community, CommunityWarning, Delivery, Drill, DrillAcknowledgement

COORDINATOR_ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.AGENCY_ADMIN)
MAX_TOKEN_LENGTH = 100


# --- public -----------------------------------------------------------------------------------


def community_list_open() -> QuerySet[Community]:
    return Community.objects.filter(active=True).prefetch_related("areas").order_by("name")


def community_get_open(*, community_id: int) -> Community:
    community = community_list_open().filter(pk=community_id).first()
    if community is None:
        raise NotFound()
    return community


def area_list_for(*, community: Community) -> list[Area]:
    """The areas a business of this community may be in: its zone, or the whole city if it has none."""
    zone = list(community.areas.order_by("name"))
    return zone or list(Area.objects.order_by("name"))


def _by_token(field: str, token: str) -> Business:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound()
    business = (
        Business.objects.select_related("community__agency", "area")
        .filter(**{field: hash_token(token)})
        .exclude(status=Business.Status.LEFT)
        .first()
    )
    if business is None:
        raise NotFound()
    return business


def business_get_by_confirm_token(*, token: str) -> Business:
    return _by_token("confirm_token_hash", token)


def business_get_by_page_token(*, token: str) -> Business:
    """Only a confirmed business has a page; a wrong token and a pending one look the same."""
    business = _by_token("page_token_hash", token)
    if business.confirmed_at is None:
        raise NotFound()
    return business


def business_warnings(*, business: Business, language: str) -> list[tuple[CommunityWarning, AlertInfo]]:
    """The warnings that were sent to this business (not those from before it joined), each in
    `language` if it was written in it, else in its first language."""
    warnings = (
        CommunityWarning.objects.filter(deliveries__business=business)
        .select_related("alert")
        .prefetch_related("alert__infos")
        .order_by("-sent_at")
    )
    result = []
    for warning in warnings:
        infos = list(warning.alert.infos.all())
        result.append((warning, next((i for i in infos if i.language == language), infos[0])))
    return result


def business_drills(*, business: Business) -> list[tuple[Drill, DrillAcknowledgement | None]]:
    """The drills this business was invited to, each with its acknowledgement if any."""
    drills = Drill.objects.filter(deliveries__business=business).order_by("-started_at")
    acks = {a.drill_id: a for a in DrillAcknowledgement.objects.filter(business=business)}
    return [(drill, acks.get(drill.pk)) for drill in drills]


def business_drill_get(*, business: Business, drill_id: int) -> tuple[Drill, DrillAcknowledgement | None]:
    drill = Drill.objects.filter(pk=drill_id, deliveries__business=business).first()
    if drill is None:
        raise NotFound()
    return drill, DrillAcknowledgement.objects.filter(drill=drill, business=business).first()


# --- coordinators -----------------------------------------------------------------------------


def _is_city_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user_id=cast(int, user.pk), role=Role.CITY_ADMIN).exists()


def communities_coordinated_by(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Community]:
    """City administrators coordinate every community; operators, supervisors and agency
    administrators those of their own agency."""
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    if _is_city_admin(user):
        return Community.objects.select_related("agency").order_by("name")
    agencies = Membership.objects.filter(user_id=cast(int, user.pk), role__in=COORDINATOR_ROLES).values("agency")
    return Community.objects.filter(agency__in=agencies).select_related("agency").order_by("name")


def may_coordinate(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the person coordinates any community at all (else the screens answer 403)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        _is_city_admin(user)
        or Membership.objects.filter(user_id=cast(int, user.pk), role__in=COORDINATOR_ROLES).exists()
    )


def community_get_for_user(*, user: AbstractBaseUser | AnonymousUser, community_id: int) -> Community:
    """Another agency's community is a 404, like one that does not exist."""
    community = communities_coordinated_by(user=user).filter(pk=community_id).first()
    if community is None:
        raise NotFound()
    return community


def business_list(*, community: Community) -> QuerySet[Business]:
    return Business.objects.filter(community=community).select_related("area").order_by("status", "name")


def business_get(*, community: Community, business_id: int) -> Business:
    business = Business.objects.filter(community=community, pk=business_id).first()
    if business is None:
        raise NotFound()
    return business


def business_counts(*, community: Community) -> dict[str, int]:
    rows = Business.objects.filter(community=community).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Business.Status.values, 0)
    counts |= {row["status"]: row["n"] for row in rows}
    return counts


def active_businesses(*, community: Community) -> QuerySet[Business]:
    return Business.objects.filter(community=community, status=Business.Status.ACTIVE).order_by("id")


def warning_list(*, community: Community) -> QuerySet[CommunityWarning]:
    return (
        CommunityWarning.objects.filter(community=community)
        .select_related("alert")
        .prefetch_related("alert__infos")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            total_count=Count("deliveries"),
        )
    )


def warning_get(*, community: Community, warning_id: int) -> CommunityWarning:
    warning = warning_list(community=community).filter(pk=warning_id).first()
    if warning is None:
        raise NotFound()
    return warning


def delivery_log(*, warning: CommunityWarning | None = None, drill: Drill | None = None) -> QuerySet[Delivery]:
    """Who was sent what and how it went; business names only, no contact details."""
    qs = Delivery.objects.select_related("business")
    return qs.filter(warning=warning) if warning is not None else qs.filter(drill=drill)


def drill_list(*, community: Community) -> QuerySet[Drill]:
    return Drill.objects.filter(community=community).select_related("alert")


def drill_get(*, community: Community, drill_id: int) -> Drill:
    drill = drill_list(community=community).filter(pk=drill_id).first()
    if drill is None:
        raise NotFound()
    return drill


@dataclass(frozen=True)
class ItemShare:
    number: int
    text: str
    done: int
    percent: float


@dataclass(frozen=True)
class DrillSummary:
    """Invited = the active businesses e-mailed when the drill started. Item shares are of the
    businesses that acknowledged; times to acknowledge run from the start of the drill."""

    drill: Drill
    invited: int
    acknowledged: int
    non_responders: int
    items: list[ItemShare]
    median_time_to_ack: timedelta | None

    @property
    def acknowledged_percent(self) -> float:
        return round(100 * self.acknowledged / self.invited, 1) if self.invited else 0.0


def drill_summary(*, drill: Drill, language: str) -> DrillSummary:
    invited_ids = set(Delivery.objects.filter(drill=drill).values_list("business_id", flat=True))
    acks = [a for a in DrillAcknowledgement.objects.filter(drill=drill) if a.business_id in invited_ids]
    items = drill.text(language)["checklist"]
    shares = []
    for number, text in enumerate(items):
        done = sum(1 for a in acks if number in a.done_items)
        shares.append(
            ItemShare(
                number=number + 1, text=text, done=done, percent=round(100 * done / len(acks), 1) if acks else 0.0
            )
        )
    median = None
    if acks and drill.started_at is not None:
        seconds = statistics.median((a.acknowledged_at - drill.started_at).total_seconds() for a in acks)
        median = timedelta(seconds=round(seconds))
    return DrillSummary(
        drill=drill,
        invited=len(invited_ids),
        acknowledged=len(acks),
        non_responders=len(invited_ids) - len(acks),
        items=shares,
        median_time_to_ack=median,
    )


def drill_summary_rows(*, summary: DrillSummary) -> list[dict[str, object]]:
    """The summary as CSV rows: counts and shares only, never a business or a contact."""
    drill = summary.drill
    median = summary.median_time_to_ack
    rows: list[dict[str, object]] = [
        {"measure": "drill", "item": "", "value": drill.title},
        {"measure": "status", "item": "", "value": drill.status},
        {"measure": "started_at", "item": "", "value": drill.started_at.isoformat() if drill.started_at else ""},
        {"measure": "invited", "item": "", "value": summary.invited},
        {"measure": "acknowledged", "item": "", "value": summary.acknowledged},
        {"measure": "non_responders", "item": "", "value": summary.non_responders},
        {"measure": "acknowledged_percent", "item": "", "value": summary.acknowledged_percent},
        {
            "measure": "median_seconds_to_acknowledge",
            "item": "",
            "value": int(median.total_seconds()) if median else "",
        },
    ]
    for share in summary.items:
        rows.append({"measure": "item_done", "item": f"{share.number}. {share.text}", "value": share.done})
        rows.append({"measure": "item_done_percent", "item": f"{share.number}. {share.text}", "value": share.percent})
    return rows
