"""The context calendar the forecasts learn from: public events, nightlife venues, paydays and public
holidays. Reads here are for anyone who may analyse; every write is for analysts and city
administrators, in one transaction with its audit entry. Files are read by the toolkit's own
readers (CSV and ICS), so the platform and the command line accept the same files.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.geo import area_index
from streetlight.routing.enums import Role
from streetlight.routing.models import Membership
from streetlight.toolkit.forecast import ForecastInputError, LocalProjection, PublicEvent, Venue
from streetlight.toolkit.forecast.context import read_public_events, read_venues

from ..models import CalendarRules, ContextEvent, NightlifeVenue
from .inputs import HISTORY_DAYS

EDIT_ROLES = frozenset({Role.ANALYST, Role.CITY_ADMIN})
Entry = ContextEvent | NightlifeVenue


class CalendarImportError(ValueError):
    """A file that cannot be imported; the message names the line or the event at fault."""


def may_edit_calendar(*, user: User | AnonymousUser) -> bool:
    """Analysts and city administrators keep the calendar; supervisors and agency admins read it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role__in=EDIT_ROLES).exists()


def calendar_events(*, now: datetime | None = None) -> QuerySet[ContextEvent]:
    """Coming events and those of the last year: what the next forecasts can learn from."""
    since = (now or timezone.now()) - timedelta(days=HISTORY_DAYS)
    return ContextEvent.objects.filter(end__gt=since).select_related("area").order_by("-start", "-pk")


def calendar_venues() -> QuerySet[NightlifeVenue]:
    return NightlifeVenue.objects.order_by("name", "pk")


def calendar_rules() -> CalendarRules:
    """The city's one row of rules (an unsaved empty one until someone saves them)."""
    return CalendarRules.objects.first() or CalendarRules()


ENTRY_MODELS: dict[str, type[Entry]] = {"events": ContextEvent, "venues": NightlifeVenue}


def calendar_entry_get(*, kind: str, entry_id: int) -> Entry:
    """An event or a venue by its id (`kind` is "events" or "venues"); 404 when there is none."""
    entry = ENTRY_MODELS[kind].objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def _audit_data(entry: Entry) -> dict[str, object]:
    data: dict[str, object] = {"name": entry.name}
    if isinstance(entry, ContextEvent):
        data |= {"kind": entry.kind, "start": entry.start.isoformat(), "end": entry.end.isoformat(), "size": entry.size}
    else:
        data |= {"opening_hours": entry.opening_hours}
    return data


@transaction.atomic
def calendar_entry_save(*, entry: Entry, actor: User) -> Entry:
    """Create or change an event or a venue (already validated by its form)."""
    created = entry.pk is None
    entry.save()
    verb = "created" if created else "changed"
    audit.record(actor=actor, action=f"calendar.{entry._meta.model_name}_{verb}", target=entry, data=_audit_data(entry))
    return entry


@transaction.atomic
def calendar_entry_delete(*, entry: Entry, actor: User) -> None:
    action = f"calendar.{entry._meta.model_name}_deleted"
    audit.record(actor=actor, action=action, target=entry, data=_audit_data(entry))
    entry.delete()


@transaction.atomic
def calendar_rules_save(*, paydays: list[str], holidays_name: str, holidays: list[date], actor: User) -> CalendarRules:
    rules = CalendarRules.objects.select_for_update().first() or CalendarRules()
    rules.paydays = "\n".join(paydays)
    rules.holidays_name = holidays_name
    rules.holidays = [d.isoformat() for d in sorted(set(holidays))]
    rules.save()
    audit.record(
        actor=actor,
        action="calendar.rules_changed",
        target=rules,
        data={"paydays": paydays, "holidays_name": holidays_name, "holidays": len(rules.holidays)},
    )
    return rules


def _aware(when: np.datetime64) -> datetime:
    """A toolkit wall-clock time as the city's local time."""
    return timezone.make_aware(when.astype("datetime64[s]").astype(datetime))


def _read(path: str, what: str, projection: LocalProjection) -> list[PublicEvent | Venue]:
    if what == "events":
        return [*read_public_events(path, projection)]
    return [*read_venues(path, projection)]


@transaction.atomic
def calendar_import(*, path: str, filename: str, what: str, kind: str, actor: User) -> int:
    """Add every event (CSV or ICS) or venue (CSV) of a file, or none: a bad line, or a place
    outside the city, stops the import with its reason."""
    index = area_index()
    if index is None:
        raise CalendarImportError(_("Load the city's areas first (streetlight catalog areas FILE)."))
    south, west, north, east = index.bounds
    projection = LocalProjection((west + east) / 2, (south + north) / 2)
    try:
        found = _read(path, what, projection)
    except ForecastInputError as exc:
        reason = str(exc).replace(path, filename)
        raise CalendarImportError(reason if reason.startswith(filename) else f"{filename}: {reason}") from None
    if not found:
        raise CalendarImportError(_("The file holds nothing to import."))
    places = []
    for number, item in enumerate(found, start=1):
        lon, lat = (float(v) for v in projection.inverse(item.x, item.y))
        name = (item.name or f"{filename} #{number}")[:200]
        if not index.contains(lat, lon):
            raise CalendarImportError(_("%(name)s is outside the city's areas.") % {"name": name})
        places.append((name, lat, lon))
    if what == "venues":
        NightlifeVenue.objects.bulk_create(
            NightlifeVenue(name=name, lat=lat, lon=lon, opening_hours=venue.hours.text)
            for (name, lat, lon), venue in zip(places, found, strict=True)
            if isinstance(venue, Venue)
        )
    else:
        ContextEvent.objects.bulk_create(
            ContextEvent(
                name=name,
                kind=kind,
                lat=lat,
                lon=lon,
                start=_aware(event.start),
                end=_aware(event.end),
                size=max(1, round(event.size)),
            )
            for (name, lat, lon), event in zip(places, found, strict=True)
            if isinstance(event, PublicEvent)
        )
    audit.record(actor=actor, action="calendar.imported", data={"file": filename, "what": what, "entries": len(found)})
    return len(found)
