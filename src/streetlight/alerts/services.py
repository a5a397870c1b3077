"""Issuing, updating and cancelling warnings. Every message is checked field by field, rendered to
CAP 1.2, validated against the OASIS schema and the rules it cannot express, and only then stored
and announced (after commit) to subscribers and partners."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit.services import record
from streetlight.reports.models import Area
from streetlight.routing.models import Agency
from streetlight.toolkit.formats.cap import cap_problems, validate_cap, write_cap

from . import capdoc, selectors
from .drafts import AlertDraft, AreaDraft, InfoDraft
from .models import Alert, AlertInfo, AlertRule
from .signals import alert_published
from .validation import Errors, draft_errors, problems_as_errors

__all__ = [
    "AlertConflict",
    "AlertDraft",
    "AlertInvalid",
    "AreaDraft",
    "InfoDraft",
    "alert_cancel",
    "alert_issue",
    "alert_update",
]

Actor = AbstractBaseUser | AnonymousUser | None


class AlertInvalid(Exception):
    """The draft cannot become a valid CAP message; `errors` maps each field to its messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors


class AlertConflict(Exception):
    """The warning was updated or cancelled by someone else meanwhile, or has already ended."""


def alert_issue(
    *,
    draft: AlertDraft,
    by: Actor,
    agency: Agency | None = None,
    rule: AlertRule | None = None,
    now: datetime | None = None,
) -> Alert:
    """Publish a new warning (msgType Alert)."""
    return _publish(draft=draft, by=by, agency=agency, rule=rule, replaces=None, msg_type="Alert", now=now)


def alert_update(*, original: Alert, draft: AlertDraft, by: Actor, now: datetime | None = None) -> Alert:
    """Publish an Update that replaces the thread's current message; the thread keeps its identity."""
    current = selectors.alert_current(original)
    if current.msg_type == Alert.MsgType.CANCEL:
        raise AlertConflict(_("This warning was cancelled; issue a new one instead."))
    return _publish(
        draft=draft, by=by, agency=current.agency, rule=current.rule, replaces=current, msg_type="Update", now=now
    )


def alert_cancel(*, original: Alert, note: str, by: Actor, now: datetime | None = None) -> Alert:
    """Publish a Cancel for the thread: the same area and languages, saying the warning is withdrawn."""
    current = selectors.alert_current(original)
    if current.msg_type == Alert.MsgType.CANCEL:
        raise AlertConflict(_("This warning was already cancelled."))
    if len(note) > 500:
        raise AlertInvalid({"note": [_("At most %(limit)d characters.") % {"limit": 500}]})
    infos = []
    for info in current.infos.all():
        with translation.override(info.language):
            infos.append(
                InfoDraft(
                    language=info.language,
                    event=info.event,
                    headline=(_("Cancelled: %(headline)s") % {"headline": info.headline})[:160],
                    description=note.strip() or _("This warning has been withdrawn."),
                )
            )
    moment = _now(now)
    draft = AlertDraft(
        infos=tuple(infos),
        area=_area_draft_of(current),
        expires=max(current.expires, moment + timedelta(hours=1)),
        kind=current.kind,
        status=current.status,
        scope=current.scope,
        restriction=current.restriction,
        addresses=tuple(current.addresses),
        cap_categories=tuple(current.cap_categories),
        topics=tuple(current.topics),
        urgency=Alert.Urgency.PAST,
        severity=current.severity,
        certainty=current.certainty,
        response_types=("AllClear",),
        note=note.strip(),
    )
    return _publish(
        draft=draft, by=by, agency=current.agency, rule=current.rule, replaces=current, msg_type="Cancel", now=now
    )


def _now(now: datetime | None) -> datetime:
    return (now or timezone.now()).replace(microsecond=0)  # CAP times carry no fractions of a second


def _area_draft_of(alert: Alert) -> AreaDraft:
    if alert.area_id and alert.area:
        return AreaDraft(description=alert.area_description, area_code=alert.area.code)
    if alert.circles:
        lat, lon, radius = alert.circles[0]
        return AreaDraft(description=alert.area_description, circle=(lat, lon, radius))
    ring = tuple((float(lat), float(lon)) for lat, lon in alert.polygons[0])
    return AreaDraft(description=alert.area_description, polygon=ring)


def _place(alert: Alert, area: AreaDraft) -> None:
    """Fill the alert's geometry from the draft: a city area becomes its outline's polygons."""
    if area.area_code:
        city_area = Area.objects.get(code=area.area_code)
        alert.area = city_area
        alert.polygons = capdoc.rings_of(city_area.geometry)
        alert.area_description = area.description.strip() or city_area.name
    elif area.polygon:
        alert.polygons = [[[lat, lon] for lat, lon in area.polygon]]
        alert.area_description = area.description.strip() or _("Marked area")
    elif area.circle:
        alert.circles = [list(area.circle)]
        alert.area_description = area.description.strip() or _("Within %(km)g km of a point") % {"km": area.circle[2]}


def _publish(
    *,
    draft: AlertDraft,
    by: Actor,
    agency: Agency | None,
    rule: AlertRule | None,
    replaces: Alert | None,
    msg_type: str,
    now: datetime | None,
) -> Alert:
    moment = _now(now)
    errors = draft_errors(
        draft, now=moment, area_codes=selectors.area_code_set(), topic_codes=selectors.topic_code_set()
    )
    if errors:
        raise AlertInvalid(errors)
    alert = Alert(
        identifier=capdoc.new_identifier(),
        kind=draft.kind,
        status=draft.status,
        msg_type=msg_type,
        scope=draft.scope,
        restriction=draft.restriction.strip(),
        addresses=list(draft.addresses),
        sent=moment,
        original=(replaces.original or replaces) if replaces else None,
        replaces=replaces,
        cap_categories=list(draft.cap_categories),
        topics=list(draft.topics),
        urgency=draft.urgency,
        severity=draft.severity,
        certainty=draft.certainty,
        response_types=list(draft.response_types),
        onset=draft.onset.replace(microsecond=0) if draft.onset else None,
        expires=draft.expires.replace(microsecond=0),
        note=draft.note,
        agency=agency,
        created_by=by if isinstance(by, User) else None,
        rule=rule,
    )
    _place(alert, draft.area)
    infos = [
        AlertInfo(
            language=info.language,
            event=info.event.strip(),
            headline=info.headline.strip(),
            description=info.description.strip(),
            instruction=info.instruction.strip(),
        )
        for info in draft.infos
    ]
    cap = capdoc.to_cap(alert, infos, public_topics=selectors.public_topics(draft.topics))
    problems = cap_problems(cap)
    if problems:
        raise AlertInvalid(problems_as_errors(problems))
    document = write_cap(cap)
    problems = validate_cap(document)  # the schema, as a receiver will check it
    if problems:
        raise AlertInvalid(problems_as_errors(problems))
    alert.document = document.decode("utf-8")
    try:
        with transaction.atomic():
            if replaces is not None:
                Alert.objects.select_for_update().get(pk=replaces.pk)  # one replacement per message
            alert.save()
            for info in infos:
                info.alert = alert
            AlertInfo.objects.bulk_create(infos)
            record(
                actor=by,
                action=f"alert.{msg_type.lower()}",
                target=alert,
                data={"identifier": alert.identifier, "status": alert.status, "scope": alert.scope},
                actor_label="" if by is not None else (f"rule:{rule.pk}" if rule else "system"),
            )
            transaction.on_commit(lambda: alert_published.send(sender=Alert, alert=alert))
    except IntegrityError as exc:
        if replaces is not None:
            raise AlertConflict(_("This warning was changed meanwhile; reload it and try again.")) from exc
        raise
    return alert


def rule_texts(rule: AlertRule, *, area_name: str, count: int) -> tuple[InfoDraft, ...]:
    """The rule's warning in every shipped language, from translated templates only: a rule never
    quotes a report, and names a sensitive category only by its top-level name."""
    names = selectors.topic_names(rule.categories)
    texts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            topic = ", ".join(str(names[c]) for c in rule.categories if c in names)
            texts.append(
                InfoDraft(
                    language=code,
                    event=_("Repeated incidents")[:120],
                    headline=(_("Several reports of %(topic)s in %(area)s") % {"topic": topic, "area": area_name})[
                        :160
                    ],
                    description=_(
                        "Residents reported %(count)d incidents of this kind in %(area)s in the last %(hours)d "
                        "hours. The city and its partners are following this up."
                    )
                    % {"count": count, "area": area_name, "hours": rule.window_hours},
                    instruction=_(
                        "Stay alert, walk in lit and busy streets where you can, and report what you see. "
                        "In danger, call the emergency number."
                    ),
                )
            )
    return tuple(texts)


def alert_rules_run(*, now: datetime | None = None) -> list[Alert]:
    """Apply every active rule: an area with enough recent reports of the rule's categories gets a
    warning, unless one from the same rule is still in force there."""
    clock = now or timezone.now()
    moment = _now(clock)
    issued = []
    for rule in selectors.alert_rules_active():
        counts = selectors.report_counts_by_area(
            categories=rule.categories, since=clock - timedelta(hours=rule.window_hours), until=clock
        )
        for area_code, (area_name, count) in counts.items():
            if count < rule.threshold or selectors.rule_alert_in_force(rule=rule, area_code=area_code, now=moment):
                continue
            draft = AlertDraft(
                infos=rule_texts(rule, area_name=area_name, count=count),
                area=AreaDraft(area_code=area_code),
                expires=moment + timedelta(hours=rule.lifetime_hours),
                status=rule.status,
                topics=tuple(rule.categories),
                severity=rule.severity,
                urgency=Alert.Urgency.EXPECTED,
                certainty=Alert.Certainty.LIKELY,
                cap_categories=("Safety", "Security"),
                response_types=("Monitor",),
            )
            issued.append(alert_issue(draft=draft, by=None, agency=rule.agency, rule=rule, now=moment))
    return issued
