"""Staff API under /api/v1/control: the same reports as the control room, for signed-in members
(session, second factor verified) and for agencies' partner systems (a bearer token with scopes and
an end date, acting as its own service account). Every handler goes through routing's visibility
selectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from streetlight.accounts.decorators import staff_user
from streetlight.core.api_errors import ApiProblem
from streetlight.integrations.models import AgencyToken, TokenScope
from streetlight.integrations.selectors import agency_token_for_key
from streetlight.integrations.services import agency_token_touch
from streetlight.reports.errors import ReportNotFound
from streetlight.routing.services import StaleUpdate

from . import selectors, services


class AgencyTokenAuth(HttpBearer):
    """`Authorization: Bearer slt_…`: the request acts as the token's service account."""

    def authenticate(self, request: HttpRequest, token: str) -> AgencyToken | None:
        found = agency_token_for_key(raw_key=token)
        if found is None:
            return None
        request.user = found.account
        agency_token_touch(token=found)
        return found


router = Router(tags=["control room"], auth=[AgencyTokenAuth(), django_auth])


def _allows(request: HttpRequest, scope: TokenScope) -> bool:
    """People act within their role; a token only within the scopes it was given."""
    auth = getattr(request, "auth", None)
    return not isinstance(auth, AgencyToken) or scope.value in auth.scopes


def _require(request: HttpRequest, scope: TokenScope) -> None:
    if not _allows(request, scope):
        raise ApiProblem(
            status=403,
            title=_("This token may not do that."),
            detail=_("It lacks the scope %(scope)s.") % {"scope": scope.value},
        )


class AssignmentOut(Schema):
    agency: str
    status: str
    version: int
    deadline: datetime
    lateness: str


class StaffReportOut(Schema):
    id: int
    reference: str
    category: str
    kind: str
    sensitive: bool
    status: str
    received_at: datetime
    occurred_from: datetime
    area: str | None
    lat: float | None
    lon: float | None
    description: str
    assignments: list[AssignmentOut]


def _row(row: selectors.QueueRow) -> dict[str, Any]:
    report = row.report
    return {
        "id": report.pk,
        "reference": report.reference,
        "category": report.category.code,
        "kind": report.kind,
        "sensitive": report.category.sensitive,
        "status": report.status,
        "received_at": report.created_at,
        "occurred_from": report.occurred_from,
        "area": report.area.code if report.area else None,
        "lat": report.lat,
        "lon": report.lon,
        "description": report.description,
        "assignments": [
            {
                "agency": a.agency.code,
                "status": a.status,
                "version": a.version,
                "deadline": a.deadline_at,
                "lateness": row.lateness,
            }
            for a in row.assignments
        ],
    }


@router.get("/reports", response=list[StaffReportOut], summary="Reports shared with my agencies")
def staff_report_list(request: HttpRequest, q: str = "", category: str = "", status: str = "") -> list[dict[str, Any]]:
    _require(request, TokenScope.REPORTS_READ)
    filters = selectors.QueueFilters(q=q[:100], category=category[:64], status=status[:24])
    return [_row(row) for row in selectors.queue_rows(user=staff_user(request), filters=filters)]


@router.get("/reports/{report_id}", response=StaffReportOut, summary="One report shared with my agencies")
def staff_report_get(request: HttpRequest, report_id: int) -> dict[str, Any]:
    _require(request, TokenScope.REPORTS_READ)
    return _row(selectors.queue_row(user=staff_user(request), report_id=report_id))


class AssignmentChangedOut(Schema):
    """The answer to a token that may change assignments but not read reports: the assignments only."""

    id: int
    assignments: list[AssignmentOut]


class AssignmentIn(Schema):
    agency: str = Field(max_length=64, description="the agency's code; one of the caller's agencies")
    status: str = Field(max_length=24)
    version: int = Field(ge=1, description="the version read with the report; a newer one answers 409")


@router.put(
    "/reports/{report_id}/assignment",
    response={200: StaffReportOut | AssignmentChangedOut},
    summary="Change my agency's assignment of a report (its status)",
)
def staff_assignment_update(request: HttpRequest, report_id: int, body: AssignmentIn) -> dict[str, Any]:
    _require(request, TokenScope.ASSIGNMENTS_WRITE)
    user = staff_user(request)
    row = selectors.queue_row(user=user, report_id=report_id)
    assignment = next((a for a in row.assignments if a.agency.code == body.agency), None)
    if assignment is None:
        raise ReportNotFound()
    try:
        services.control_assignment_update(
            actor=user,
            report_id=report_id,
            agency_id=assignment.agency_id,
            version=body.version,
            status=body.status,
            assignee_id=assignment.assignee_id,
        )
    except StaleUpdate as exc:
        raise ApiProblem(
            status=409,
            title=_("Someone else changed this assignment meanwhile."),
            errors={"version": _("Read the report again and send its current version.")},
        ) from exc
    changed = _row(selectors.queue_row(user=user, report_id=report_id))
    if not _allows(request, TokenScope.REPORTS_READ):
        # assignments:write alone moves an assignment on; reading the report is reports:read's.
        return {"id": changed["id"], "assignments": changed["assignments"]}
    return changed
