"""Every write of the complaint hand-over; each one audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.models import Report
from streetlight.reports.selectors import report_contact_read
from streetlight.routing.models import Agency

from . import document
from .errors import ComplaintRefused
from .models import Complaint

REFERENCE_MAX = 64
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _locked(report: Report) -> Complaint:
    Complaint.objects.get_or_create(report=report)
    return Complaint.objects.select_for_update().get(report=report)


def consent_give(*, report: Report) -> Complaint:
    """The reporter, by their follow-up token, lets the police prepare a formal complaint."""
    if not report.share_police:
        raise ComplaintRefused(_("This report is not shared with the police."))
    with transaction.atomic():
        complaint = _locked(report)
        if complaint.recorded:
            raise ComplaintRefused(_("The police have already recorded this complaint."))
        if not complaint.consent_active:
            complaint.consented_at, complaint.withdrawn_at = timezone.now(), None
            complaint.save(update_fields=["consented_at", "withdrawn_at"])
            audit.record(actor=None, action="complaint.consent_given", target=report, actor_label="reporter")
    return complaint


def consent_withdraw(*, report: Report) -> Complaint:
    """Possible until the police record their reference."""
    with transaction.atomic():
        complaint = _locked(report)
        if complaint.recorded:
            raise ComplaintRefused(_("The police have already recorded this complaint; it can no longer be withdrawn."))
        if not complaint.consent_active:
            raise ComplaintRefused(_("There is no consent to withdraw."))
        complaint.withdrawn_at = timezone.now()
        complaint.save(update_fields=["withdrawn_at"])
        audit.record(actor=None, action="complaint.consent_withdrawn", target=report, actor_label="reporter")
    return complaint


def complaint_prepare(*, actor: User, report: Report, agency: Agency, language: str, fmt: str) -> dict[str, Any]:
    """The complaint's content (see docs/complaint.schema.json), only with active consent. The
    contact details are read through the audited contact read."""
    if language not in LANGUAGES:
        raise ComplaintRefused(_("Choose one of the languages offered."), status=400, field="language")
    with transaction.atomic():
        complaint = _locked(report)
        if not complaint.consent_active:
            raise ComplaintRefused(
                _("The reporter has not agreed to a formal complaint, or withdrew it: nothing was prepared.")
            )
        contact = report_contact_read(report=report, actor=actor, purpose="formal complaint")
        now = timezone.now()
        complaint.prepared_by, complaint.prepared_at, complaint.language = actor, now, language
        complaint.save(update_fields=["prepared_by", "prepared_at", "language"])
        audit.record(
            actor=actor,
            action="complaint.prepared",
            target=report,
            data={"format": fmt, "language": language, "agency": agency.code},
        )
    return document.complaint_data(
        report=report, complaint=complaint, contact=contact, agency=agency, language=language, generated_at=now
    )


def reference_clean(value: str) -> str:
    reference = value.strip()
    if not reference or len(reference) > REFERENCE_MAX or not reference.isprintable():
        raise ComplaintRefused(
            _("Give the police reference: 1 to 64 printable characters."), status=400, field="police_reference"
        )
    return reference


def reference_record(*, actor: User, report: Report, reference: str) -> Complaint:
    """The official reference; from now on the report counts as recorded by the police."""
    reference = reference_clean(reference)
    with transaction.atomic():
        complaint = _locked(report)
        if complaint.recorded:
            raise ComplaintRefused(_("A police reference is already recorded for this report."))
        if not complaint.consent_active:
            raise ComplaintRefused(_("The reporter has not agreed to a formal complaint."))
        complaint.police_reference, complaint.recorded_by, complaint.recorded_at = reference, actor, timezone.now()
        complaint.save(update_fields=["police_reference", "recorded_by", "recorded_at"])
        audit.record(actor=actor, action="complaint.recorded", target=report, data={"police_reference": reference})
    return complaint
