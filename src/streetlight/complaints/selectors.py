"""Reads for the complaint hand-over, limited to what the user may see."""

from __future__ import annotations

from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.reports.models import Report
from streetlight.routing.enums import CASE_ROLES, AgencyKind
from streetlight.routing.models import Agency
from streetlight.routing.selectors import report_get_for_user

from .errors import ComplaintRefused
from .models import Complaint


def complaint_of(*, report: Report) -> Complaint | None:
    return Complaint.objects.filter(report=report).first()


def police_agency_for(*, user: User, report: Report) -> Agency | None:
    """The user's police agency working this report (case roles only), if any."""
    return (
        Agency.objects.filter(
            kind=AgencyKind.POLICE,
            active=True,
            assignments__report=report,
            memberships__user=user,
            memberships__role__in=CASE_ROLES,
        )
        .distinct()
        .first()
    )


def police_report_get(*, user: User, report_id: int) -> tuple[Report, Agency]:
    """The report (ReportNotFound when the user cannot see it: 404) and the user's police agency on
    it (ComplaintRefused 403 when the user works it for another kind of agency)."""
    report = report_get_for_user(user=user, report_id=report_id)
    agency = police_agency_for(user=user, report=report)
    if agency is None:
        raise ComplaintRefused(_("Only the police agency working this report can prepare a complaint."), status=403)
    return report, agency
