"""Staff API under /api/v1/control: the same reports as the control room, for signed-in members
(session). Every handler goes through routing's visibility selectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from streetlight.accounts.models import User

from . import selectors

router = Router(tags=["control room"], auth=django_auth)


class AssignmentOut(Schema):
    agency: str
    status: str
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


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


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
            {"agency": a.agency.code, "status": a.status, "deadline": a.deadline_at, "lateness": row.lateness}
            for a in row.assignments
        ],
    }


@router.get("/reports", response=list[StaffReportOut], summary="Reports shared with my agencies")
def staff_report_list(request: HttpRequest, q: str = "", category: str = "", status: str = "") -> list[dict[str, Any]]:
    filters = selectors.QueueFilters(q=q[:100], category=category[:64], status=status[:24])
    return [_row(row) for row in selectors.queue_rows(user=_user(request), filters=filters)]


@router.get("/reports/{report_id}", response=StaffReportOut, summary="One report shared with my agencies")
def staff_report_get(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _row(selectors.queue_row(user=_user(request), report_id=report_id))
