"""Every write of the community app: keyword-only, one transaction each, audited. E-mails to many
businesses are `Delivery` rows and worker tasks written in the same transaction, so a warning or a
drill is either stored with all its deliveries queued, or not at all."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import shapely
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.alerts.models import Alert
from streetlight.alerts.services import AlertDraft, AlertInvalid, AreaDraft, InfoDraft, alert_issue
from streetlight.audit import services as audit
from streetlight.core.tokens import hash_token, new_token
from streetlight.reports.models import Area

from . import mail, selectors
from .drafts import BusinessDraft, DrillText, WarningText
from .errors import CommunityConflict, CommunityInvalid, NotFound
from .models import Business, Community, CommunityWarning, Delivery, Drill, DrillAcknowledgement

Actor = AbstractBaseUser | AnonymousUser | None
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DRILL_ALERT_HOURS = 48
MAX_CHECKLIST_ITEMS = 20
MAX_COMMENT = 1000


def _user(by: Actor) -> User | None:
    return by if isinstance(by, User) else None


def _now(now: datetime | None) -> datetime:
    return (now or timezone.now()).replace(microsecond=0)


# --- registration -----------------------------------------------------------------------------


def _business_errors(community: Community, draft: BusinessDraft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    required = _("This field is required.")
    if not draft.name.strip():
        errors["name"] = [required]
    elif len(draft.name) > 120:
        errors["name"] = [_("At most %(limit)d characters.") % {"limit": 120}]
    if draft.sector not in Business.Sector.values:
        errors["sector"] = [_("Choose a sector from the list.")]
    if draft.size not in Business.Size.values:
        errors["size"] = [_("Choose a size from the list.")]
    if draft.area_code not in {a.code for a in selectors.area_list_for(community=community)}:
        errors["area"] = [_("Choose the area your business is in, from the list.")]
    if len(draft.contact_name) > 120:
        errors["contact_name"] = [_("At most %(limit)d characters.") % {"limit": 120}]
    if not EMAIL_RE.match(draft.email.strip()) or len(draft.email) > 254:
        errors["email"] = [_("Enter an e-mail address like name@example.org.")]
    if draft.language not in LANGUAGE_CODES:
        errors["language"] = [_("Choose a language from the list.")]
    return errors


@transaction.atomic
def business_register(*, community: Community, draft: BusinessDraft, now: datetime | None = None) -> Business:
    """Store a pending business and send the confirmation e-mail in the same transaction: if the
    mail server refuses the address, nothing is kept and the e-mail field says why."""
    if not community.active:
        raise NotFound()
    if errors := _business_errors(community, draft):
        raise CommunityInvalid(errors)
    confirm_token, page_token = new_token(), new_token()
    business = Business.objects.create(
        community=community,
        name=draft.name.strip(),
        sector=draft.sector,
        size=draft.size,
        area=Area.objects.get(code=draft.area_code),
        contact_name=draft.contact_name.strip(),
        contact_email=draft.email.strip(),
        language=draft.language,
        confirm_token_hash=hash_token(confirm_token),
        page_token=page_token,
        page_token_hash=hash_token(page_token),
        registered_at=_now(now),
    )
    mail.confirmation_send(business=business, token=confirm_token)
    audit.record(actor=None, action="community.business.registered", target=business, actor_label="public")
    return business


@transaction.atomic
def business_confirm(*, business: Business, now: datetime | None = None) -> Business:
    """The contact clicked the link: the registration counts. Confirming twice changes nothing."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.confirmed_at is not None:
        return business
    business.confirmed_at = _now(now)
    if not business.community.approval_required:
        business.status, business.approved_at = Business.Status.ACTIVE, business.confirmed_at
    business.save(update_fields=["confirmed_at", "status", "approved_at", "email_index"])
    audit.record(actor=None, action="community.business.confirmed", target=business, actor_label="public")
    return business


@transaction.atomic
def business_approve(*, business: Business, by: Actor, now: datetime | None = None) -> Business:
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.status == Business.Status.LEFT:
        raise CommunityConflict(_("This business has left the community."))
    if business.confirmed_at is None:
        raise CommunityConflict(_("The contact has not confirmed the e-mail address yet."))
    if business.status == Business.Status.ACTIVE:
        return business
    business.status, business.approved_at = Business.Status.ACTIVE, _now(now)
    business.save(update_fields=["status", "approved_at", "email_index"])
    audit.record(actor=by, action="community.business.approved", target=business)
    return business


@transaction.atomic
def business_remove(*, business: Business, by: Actor, now: datetime | None = None) -> Business:
    """The business no longer receives anything; its past acknowledgements stay in the summaries."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.status == Business.Status.LEFT:
        return business
    business.status, business.left_at = Business.Status.LEFT, _now(now)
    business.save(update_fields=["status", "left_at", "email_index"])
    audit.record(actor=by, action="community.business.removed", target=business, actor_label="" if by else "self")
    return business


# --- CAP messages to the community ------------------------------------------------------------


def restriction_for(community: Community) -> str:
    return f"Members of {community.name}"[:200]


def _area_draft(community: Community) -> AreaDraft:
    """One zone area by its code; several as the outline around them (CAP allows one area here)."""
    areas = list(community.areas.order_by("code"))
    description = ", ".join(a.name for a in areas)[:200] or community.name[:200]
    if len(areas) == 1:
        return AreaDraft(description=description, area_code=areas[0].code)
    areas = areas or list(Area.objects.all())
    hull = shapely.union_all([shapely.geometry.shape(a.geometry) for a in areas]).convex_hull
    ring = tuple((round(lat, 6), round(lon, 6)) for lon, lat in hull.exterior.coords)
    return AreaDraft(description=description, polygon=ring)


def _alert_errors(exc: AlertInvalid, languages: list[str]) -> CommunityInvalid:
    """The alert service's fields (infos[0].headline, expires…) as the community form's fields."""
    errors: dict[str, list[str]] = {}
    for field, messages in exc.errors.items():
        match = re.fullmatch(r"infos\[(\d+)\]\.(\w+)", field)
        if match and int(match[1]) < len(languages):
            name = f"{match[2]}_{languages[int(match[1])]}"
        elif field in {"expires", "severity", "urgency"}:
            name = {"expires": "expires_hours"}.get(field, field)
        else:
            name = "__all__"
        errors.setdefault(name, []).extend(messages)
    return CommunityInvalid(errors)


def _queue(
    community: Community, *, now: datetime, warning: CommunityWarning | None = None, drill: Drill | None = None
) -> list[Delivery]:
    """One delivery and one worker task per active business, in this transaction (the outbox)."""
    from .tasks import send_delivery

    deliveries = Delivery.objects.bulk_create(
        Delivery(business=b, warning=warning, drill=drill, language=b.language, created_at=now)
        for b in selectors.active_businesses(community=community)
    )
    for delivery in deliveries:
        send_delivery.enqueue(delivery_id=delivery.pk)
    return deliveries


@transaction.atomic
def warning_send(
    *,
    community: Community,
    texts: dict[str, WarningText],
    by: Actor,
    severity: str = Alert.Severity.MODERATE,
    urgency: str = Alert.Urgency.EXPECTED,
    expires_hours: int = 24,
    now: datetime | None = None,
) -> CommunityWarning:
    """Publish a Restricted CAP warning naming the community and e-mail every active business in
    its language. An invalid message stores and sends nothing."""
    moment = _now(now)
    languages = [code for code in LANGUAGE_CODES if code in texts]
    if not languages:
        raise CommunityInvalid({"__all__": [_("Write the warning in at least one language.")]})
    if not 1 <= expires_hours <= 24 * 14:
        raise CommunityInvalid({"expires_hours": [_("Between 1 hour and 14 days (336 hours).")]})
    infos = []
    for code in languages:
        with translation.override(code):
            event = _("Warning to %(community)s") % {"community": community.name}
        text = texts[code]
        infos.append(InfoDraft(code, event[:120], text.headline, text.description, text.instruction))
    draft = AlertDraft(
        infos=tuple(infos),
        area=_area_draft(community),
        expires=moment + timedelta(hours=expires_hours),
        scope=Alert.Scope.RESTRICTED,
        restriction=restriction_for(community),
        cap_categories=("Security",),
        urgency=urgency,
        severity=severity,
        certainty=Alert.Certainty.LIKELY,
    )
    try:
        alert = alert_issue(draft=draft, by=by, agency=community.agency, now=moment)
    except AlertInvalid as exc:
        raise _alert_errors(exc, languages) from exc
    warning = CommunityWarning.objects.create(community=community, alert=alert, sent_at=moment, sent_by=_user(by))
    deliveries = _queue(community, now=moment, warning=warning)
    audit.record(actor=by, action="community.warning.sent", target=warning, data={"deliveries": len(deliveries)})
    return warning


# --- drills -----------------------------------------------------------------------------------


def _drill_errors(texts: dict[str, DrillText], scheduled_for: datetime | None, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not texts:
        errors["__all__"] = [_("Write the drill in at least one language.")]
    counts = {}
    for code, text in texts.items():
        required = _("This field is required.")
        if not text.title.strip():
            errors[f"title_{code}"] = [required]
        elif len(text.title) > 120:
            errors[f"title_{code}"] = [_("At most %(limit)d characters.") % {"limit": 120}]
        if not text.scenario.strip():
            errors[f"scenario_{code}"] = [required]
        elif len(text.scenario) > 3000:
            errors[f"scenario_{code}"] = [_("At most %(limit)d characters.") % {"limit": 3000}]
        items = [item for item in text.checklist if item.strip()]
        if not items:
            errors[f"checklist_{code}"] = [_("Write at least one checklist item, one per line.")]
        elif len(items) > MAX_CHECKLIST_ITEMS:
            errors[f"checklist_{code}"] = [_("At most %(limit)d items.") % {"limit": MAX_CHECKLIST_ITEMS}]
        elif any(len(item) > 200 for item in items):
            errors[f"checklist_{code}"] = [_("Each item may have at most %(limit)d characters.") % {"limit": 200}]
        counts[code] = len(items)
    if len(set(counts.values())) > 1 and not any(k.startswith("checklist_") for k in errors):
        first = next(iter(counts))
        for code, count in counts.items():
            if count != counts[first]:
                errors[f"checklist_{code}"] = [
                    _("Give the same %(count)d items as in the first language, in the same order.")
                    % {"count": counts[first]}
                ]
    if scheduled_for is None:
        errors["scheduled_for"] = [_("This field is required.")]
    elif scheduled_for.tzinfo is None:
        errors["scheduled_for"] = [_("Give a time zone with the time.")]
    elif scheduled_for < now - timedelta(minutes=5):
        errors["scheduled_for"] = [_("Choose a time in the future.")]
    return errors


@transaction.atomic
def drill_schedule(
    *,
    community: Community,
    texts: dict[str, DrillText],
    scheduled_for: datetime | None,
    by: Actor,
    now: datetime | None = None,
) -> Drill:
    moment = _now(now)
    if errors := _drill_errors(texts, scheduled_for, moment):
        raise CommunityInvalid(errors)
    assert scheduled_for is not None
    stored: dict[str, dict[str, Any]] = {
        code: {
            "title": text.title.strip(),
            "scenario": text.scenario.strip(),
            "checklist": [item.strip() for item in text.checklist if item.strip()],
        }
        for code, text in texts.items()
    }
    first = stored.get(settings.LANGUAGE_CODE) or next(iter(stored.values()))
    drill = Drill.objects.create(
        community=community,
        title=first["title"],
        texts=stored,
        scheduled_for=scheduled_for,
        created_by=_user(by),
        created_at=moment,
    )
    audit.record(actor=by, action="community.drill.scheduled", target=drill)
    return drill


def _drill_infos(drill: Drill) -> tuple[InfoDraft, ...]:
    infos = []
    for code in (c for c in LANGUAGE_CODES if c in drill.texts):
        text = drill.texts[code]
        with translation.override(code):
            marker = _("EXERCISE — this is a drill")
            infos.append(
                InfoDraft(
                    language=code,
                    event=_("Exercise")[:120],
                    headline=f"{marker}: {text['title']}"[:160],
                    description=f"{marker}. {text['scenario']}"[:4000],
                    instruction="\n".join(f"{i}. {item}" for i, item in enumerate(text["checklist"], 1))[:2000],
                )
            )
    return tuple(infos)


@transaction.atomic
def drill_start(*, drill: Drill, by: Actor, now: datetime | None = None) -> Drill:
    """Issue the Exercise CAP message and invite every active business, in one transaction."""
    drill = Drill.objects.select_for_update().select_related("community__agency").get(pk=drill.pk)
    if drill.status != Drill.Status.SCHEDULED:
        raise CommunityConflict(_("This drill has already been started."))
    moment = _now(now)
    draft = AlertDraft(
        infos=_drill_infos(drill),
        area=_area_draft(drill.community),
        expires=moment + timedelta(hours=DRILL_ALERT_HOURS),
        status=Alert.Status.EXERCISE,
        scope=Alert.Scope.RESTRICTED,
        restriction=restriction_for(drill.community),
        cap_categories=("Security",),
        urgency=Alert.Urgency.EXPECTED,
        severity=Alert.Severity.MINOR,
        certainty=Alert.Certainty.POSSIBLE,
        note=f"Drill {drill.pk}",
    )
    try:
        drill.alert = alert_issue(draft=draft, by=by, agency=drill.community.agency, now=moment)
    except AlertInvalid as exc:
        raise CommunityInvalid({"__all__": [m for msgs in exc.errors.values() for m in msgs]}) from exc
    drill.status, drill.started_at = Drill.Status.RUNNING, moment
    drill.save(update_fields=["alert", "status", "started_at"])
    deliveries = _queue(drill.community, now=moment, drill=drill)
    audit.record(actor=by, action="community.drill.started", target=drill, data={"invited": len(deliveries)})
    return drill


@transaction.atomic
def drill_close(*, drill: Drill, by: Actor, now: datetime | None = None) -> Drill:
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.status == Drill.Status.SCHEDULED:
        raise CommunityConflict(_("This drill has not started yet."))
    if drill.status == Drill.Status.CLOSED:
        raise CommunityConflict(_("This drill is already closed."))
    drill.status, drill.closed_at = Drill.Status.CLOSED, _now(now)
    drill.save(update_fields=["status", "closed_at"])
    audit.record(actor=by, action="community.drill.closed", target=drill)
    return drill


@transaction.atomic
def drill_acknowledge(
    *, business: Business, drill: Drill, done_items: list[int], comment: str, now: datetime | None = None
) -> DrillAcknowledgement:
    """Record (or update) the business's answer; the first time stays the acknowledgement time."""
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if business.status != Business.Status.ACTIVE:
        raise CommunityConflict(_("This business is not an active member of the community."))
    if drill.status == Drill.Status.CLOSED:
        raise CommunityConflict(_("This drill is closed: answers are no longer recorded."))
    if drill.status != Drill.Status.RUNNING:
        raise CommunityConflict(_("This drill has not started yet."))
    if not Delivery.objects.filter(drill=drill, business=business).exists():
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if any(not 0 <= i < drill.item_count for i in done_items):
        errors["done_items"] = [_("Tick only items from this drill's checklist.")]
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("At most %(limit)d characters.") % {"limit": MAX_COMMENT}]
    if errors:
        raise CommunityInvalid(errors)
    moment = timezone.now() if now is None else now
    ack, created = DrillAcknowledgement.objects.get_or_create(
        drill=drill,
        business=business,
        defaults={
            "acknowledged_at": moment,
            "updated_at": moment,
            "done_items": sorted(set(done_items)),
            "comment": comment.strip(),
        },
    )
    if not created:
        ack.done_items, ack.comment, ack.updated_at = sorted(set(done_items)), comment.strip(), moment
        ack.save(update_fields=["done_items", "comment", "updated_at"])
    audit.record(
        actor=None,
        action="community.drill.acknowledged" if created else "community.drill.acknowledgement_updated",
        target=ack,
        actor_label=f"business:{business.pk}",
    )
    return ack
