"""Control-room reads: the queue and a report's file, always through routing's visibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.reports.errors import ReportNotFound
from streetlight.reports.models import Message, Report, StatusChange
from streetlight.routing.models import Agency, Assignment
from streetlight.routing.selectors import (
    agencies_allowed_for,
    agencies_of,
    assignment_lateness,
    report_get_for_user,
    report_list_visible_to,
)

from .models import JointCase, Note

QUEUE_LIMIT = 300
SEARCH_SCAN = 20_000  # newest visible reports a text search looks through (descriptions are decrypted)


@dataclass(frozen=True)
class QueueFilters:
    category: str = ""
    status: str = ""
    area: str = ""
    agency: int | None = None
    deadline: str = ""  # "late", "late3", "today"
    urgency: str = ""  # "immediate", or "high" for high and immediate
    q: str = ""

    def __post_init__(self) -> None:
        """No filter can mean a NUL character, and PostgreSQL refuses one in a query (a 500 the API
        fuzzer found): it is dropped from every text filter."""
        for name in ("category", "status", "area", "q"):
            object.__setattr__(self, name, getattr(self, name).replace("\x00", ""))

    @classmethod
    def from_query(cls, query: Any) -> QueueFilters:
        agency = query.get("agency", "")
        return cls(
            category=query.get("category", "")[:64],
            status=query.get("status", "")[:24],
            area=query.get("area", "")[:32],
            agency=int(agency) if agency.isdigit() else None,
            deadline=query.get("deadline", "") if query.get("deadline") in {"late", "late3", "today"} else "",
            urgency=query.get("urgency", "") if query.get("urgency") in {"immediate", "high"} else "",
            q=query.get("q", "").strip()[:100],
        )


@dataclass
class QueueRow:
    report: Report
    assignments: list[Assignment] = field(default_factory=list)
    lateness: str = ""

    def as_map_point(self) -> dict[str, Any] | None:
        if self.report.lat is None or self.report.lon is None:
            return None
        return {
            "id": self.report.pk,
            "lat": self.report.lat,
            "lon": self.report.lon,
            "ref": self.report.reference,
            "late": self.lateness,
        }


def _visible_assignments(user: User) -> QuerySet[Assignment]:
    return Assignment.objects.filter(agency__in=agencies_of(user=user)).select_related("agency", "assignee")


def _filtered(user: User, filters: QueueFilters, now: datetime, *, search: bool = True) -> QuerySet[Report]:
    qs = report_list_visible_to(user=user)
    if filters.category:
        qs = qs.filter(Q(category__code=filters.category) | Q(category__parent__code=filters.category))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    mine = _visible_assignments(user)
    if filters.agency is not None:
        mine = mine.filter(agency_id=filters.agency)
        qs = qs.filter(assignments__agency_id=filters.agency)
    open_mine = mine.filter(status__in=["new", "accepted", "in_progress"])
    if filters.deadline == "late":
        qs = qs.filter(pk__in=open_mine.filter(deadline_at__lte=now).values("report_id"))
    elif filters.deadline == "late3":
        qs = qs.filter(pk__in=open_mine.filter(late_after__lte=now).values("report_id"))
    elif filters.deadline == "today":
        qs = qs.filter(pk__in=open_mine.filter(deadline_at__lte=now + timedelta(days=1)).values("report_id"))
    if filters.urgency:
        levels = ["immediate"] if filters.urgency == "immediate" else ["immediate", "high"]
        qs = qs.filter(triage__urgency__in=levels)
    if filters.q and search:
        qs = qs.filter(pk__in=_text_matches(qs, filters.q))
    return qs


def text_matches(report: Report, q: str) -> bool:
    """Search by reference or by words of the description, which is encrypted: compared decrypted."""
    needle = q.casefold()
    return report.reference.casefold() == needle or needle in report.description.casefold()


def _text_matches(qs: QuerySet[Report], q: str) -> list[int]:
    """Ids of the newest SEARCH_SCAN reports of `qs` that match. Descriptions are encrypted, so the
    database cannot filter them: they are decrypted here, for the reports this user may see only."""
    needle = q.casefold()
    rows = qs.order_by("-created_at").values_list("pk", "reference", "description")[:SEARCH_SCAN]
    found = [pk for pk, reference, text in rows if reference.casefold() == needle or needle in text.casefold()]
    return found[:QUEUE_LIMIT]  # the queue shows the newest QUEUE_LIMIT anyway


def queue_rows(*, user: User, filters: QueueFilters, now: datetime | None = None) -> list[QueueRow]:
    now = now or timezone.now()
    reports = (
        _filtered(user, filters, now)
        .select_related("category__parent", "area", "triage")
        .prefetch_related(
            "category__texts",
            Prefetch("assignments", queryset=_visible_assignments(user), to_attr="my_assignments"),
        )
        .order_by("-created_at")[:QUEUE_LIMIT]
    )
    rows = []
    for report in reports:
        mine: list[Assignment] = report.my_assignments
        flags = {assignment_lateness(a, now) for a in mine}
        rows.append(
            QueueRow(
                report=report,
                assignments=mine,
                lateness="late3" if "late3" in flags else "late" if "late" in flags else "",
            )
        )
    return rows


def queue_row(*, user: User, report_id: int, filters: QueueFilters | None = None) -> QueueRow:
    """One row, for the live update of a screen; raises ReportNotFound when not visible or, when
    the screen is filtered, when the report does not match the screen's filters."""
    report = report_get_for_user(user=user, report_id=report_id)
    if filters is not None and not (
        _filtered(user, filters, timezone.now(), search=False).filter(pk=report_id).exists()
        and (not filters.q or text_matches(report, filters.q))
    ):
        raise ReportNotFound()
    mine = list(_visible_assignments(user).filter(report=report))
    flags = {assignment_lateness(a) for a in mine}
    return QueueRow(
        report=report, assignments=mine, lateness="late3" if "late3" in flags else "late" if "late" in flags else ""
    )


@dataclass
class ReportFile:
    report: Report
    history: list[StatusChange]
    messages: list[Message]
    notes: list[Note]
    assignments: list[Assignment]
    my_agencies: list[Agency]
    has_contact: bool
    cases: list[JointCase]
    colleagues: dict[int, list[User]]
    may_also_go_to: list[Agency]


def report_file(*, user: User, report_id: int) -> ReportFile:
    """Everything an agency member may see of a report: notes of other agencies stay hidden."""
    report = report_get_for_user(user=user, report_id=report_id)
    my_agencies = list(agencies_of(user=user))
    notes = Note.objects.filter(report=report).filter(Q(agency__isnull=True) | Q(agency__in=my_agencies))
    colleagues = {
        agency.pk: list(User.objects.filter(memberships__agency=agency, is_active=True).distinct().order_by("username"))
        for agency in my_agencies
    }
    return ReportFile(
        report=report,
        history=list(report.status_changes.select_related("actor").order_by("at", "pk")),
        messages=list(report.messages.filter(public=True).order_by("at", "pk")),
        notes=list(notes.select_related("agency", "author")),
        assignments=list(Assignment.objects.filter(report=report).select_related("agency", "assignee")),
        my_agencies=my_agencies,
        has_contact=hasattr(report, "contact"),
        cases=list(case_list_for(user=user).filter(reports=report)),
        colleagues=colleagues,
        may_also_go_to=list(agencies_allowed_for(report=report)),
    )


@dataclass
class CaseFile:
    case: JointCase
    reports: list[Report]
    hidden: int
    notes: list[Note]


def case_list_for(*, user: User) -> QuerySet[JointCase]:
    return JointCase.objects.filter(agencies__in=agencies_of(user=user)).distinct()


def case_get_for_user(*, user: User, case_id: int) -> CaseFile:
    """A case the user's agency takes part in; its reports limited to those shared with that agency."""
    case = case_list_for(user=user).filter(pk=case_id).first()
    if case is None:
        raise ReportNotFound()
    visible = list(report_list_visible_to(user=user).filter(joint_cases=case).select_related("category", "area"))
    return CaseFile(
        case=case,
        reports=visible,
        hidden=case.reports.count() - len(visible),
        notes=list(case.notes.select_related("author")),
    )


def export_rows(*, user: User, filters: QueueFilters) -> list[dict[str, Any]]:
    """Queue rows as plain dicts (no contact details); the export is recorded in the audit log."""
    from streetlight.audit import services as audit

    rows = queue_rows(user=user, filters=filters)
    audit.record(actor=user, action="reports.exported", data={"count": len(rows), "filters": filters.__dict__})
    return [
        {
            "reference": row.report.reference,
            "category": row.report.category.code,
            "status": row.report.status,
            "received_at": row.report.created_at.isoformat(),
            "area": row.report.area.code if row.report.area else "",
            "lat": row.report.lat,
            "lon": row.report.lon,
            "lateness": row.lateness,
            "agencies": " ".join(a.agency.code for a in row.assignments),
        }
        for row in rows
    ]


def duplicates(*, user: User, report: Report) -> list[Any]:
    from .duplicates import duplicate_suggestions

    if report.status not in {"received", "in_progress", "waiting_for_reporter", "reopened"}:
        return []
    return duplicate_suggestions(user=user, report=report)


def references(*, user: User, report_ids: list[int]) -> dict[int, str]:
    return dict(report_list_visible_to(user=user).filter(pk__in=report_ids).values_list("pk", "reference"))


def filter_choices(*, user: User) -> dict[str, Any]:
    from streetlight.reports.selectors import area_list, category_tree

    return {"tree": category_tree(), "areas": list(area_list()), "agencies": list(agencies_of(user=user))}
