"""The control room hears of a walk only if the resident chose it: then an alert becomes an ordinary
report (reports.services.report_submit), so routing, the live queue and deadlines treat it like any
other. It carries the last known position, the reason and the times; no name, no contacts."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from streetlight.audit import services as audit
from streetlight.reports import selectors as report_selectors
from streetlight.reports import services as report_services
from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.errors import ReportInvalid, ReportNotFound

from .. import conf
from ..models import AlertReason, Position, Walk

log = logging.getLogger(__name__)

CONSENT = Consent(
    police=True, victim_support=False, social_services=False, city=True, contact=False, public_statistics=False
)


def _local(at: datetime) -> str:
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%H:%M")


def _description(walk: Walk, reason: str, last: Position | None) -> str:
    with translation.override(walk.language):
        if reason == AlertReason.BUTTON:
            why = _("The resident pressed the alert button.")
        else:
            why = _("The resident did not check in: they expected to arrive at %(time)s.") % {
                "time": _local(walk.expected_arrival)
            }
        where = (
            _("Last known position at %(time)s (shown on the map).") % {"time": _local(last.recorded_at)}
            if last
            else _("Their position is not known.")
        )
        started = _("The walk started at %(time)s.") % {"time": _local(walk.started_at)}
        return " ".join([_("Walk me home alert."), why, started, where])


def control_room_alert(*, walk: Walk, reason: str, last: Position | None) -> str | None:
    """Submit the alert as a report; returns its reference, or None if it could not be filed (the
    contacts are alerted anyway, and the failure is logged and audited)."""
    draft = ReportDraft(
        category=str(conf.value("CATEGORY")),
        consent=CONSENT,
        description=_description(walk, reason, last),
        language=walk.language,
        safety_score=1,
    )
    drafts = [draft]
    if last is not None and last.lat is not None and last.lon is not None:
        precision = max(1, min(50_000, round(last.accuracy or 50)))
        drafts.insert(0, replace(draft, location="point", lat=last.lat, lon=last.lon, precision_m=precision))
    submitted = None
    for candidate in drafts:
        try:
            submitted = report_services.report_submit(draft=candidate, source=str(conf.value("SOURCE")))
            break
        except ReportInvalid as exc:  # e.g. the last position is outside the city: file it without a place
            log.warning("walk alert report refused: %s", ", ".join(exc.errors))
    if submitted is None:
        audit.record(actor=None, action="walk.control_room_failed", target=walk, data={"reason": reason})
        return None
    walk.control_references = [*walk.control_references, submitted.report.reference]
    walk.control_tokens = " ".join(t for t in (walk.control_tokens, submitted.followup_token) if t)
    walk.save(update_fields=["control_references", "control_tokens"])
    audit.record(
        actor=None,
        action="walk.control_room_alerted",
        target=walk,
        data={"reason": reason, "report": submitted.report.reference, "located": submitted.report.lat is not None},
    )
    return submitted.report.reference


def control_room_checked_in(*, walk: Walk, now: datetime) -> None:
    """Tell the responders on the alert's report that the resident is safe, through the report's own
    follow-up channel (as a reporter adding information)."""
    for token in walk.control_tokens.split():
        try:
            report = report_selectors.report_get_by_token(token=token)
        except ReportNotFound:
            continue
        with translation.override(walk.language):
            body = _("Walk me home: the resident checked in at %(time)s and says they are safe.") % {
                "time": _local(now)
            }
        try:
            report_services.report_add_information(report=report, body=body)
        except ReportInvalid:
            log.warning("could not add the check-in to report %s", report.reference)
