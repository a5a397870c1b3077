"""Control-room screens: the live queue with its map, and a report's file with its actions. Thin:
parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from streetlight.accounts.decorators import recent_authentication_required, staff_user
from streetlight.alerts.selectors import may_issue_alerts
from streetlight.audit.selectors import may_view_audit
from streetlight.chat.selectors import may_operate, waiting_count
from streetlight.feeds import selectors as feeds_selectors
from streetlight.insight.selectors import may_analyse
from streetlight.live import stream as live_stream
from streetlight.reports.errors import ReportInvalid, ReportNotFound
from streetlight.reports.geo import area_index
from streetlight.reports.lifecycle import TRANSITIONS, Status, TransitionError
from streetlight.reports.models import STATUS_CHOICES
from streetlight.reports.selectors import report_contact_read, report_needs
from streetlight.routing.enums import AssignmentStatus
from streetlight.routing.services import StaleUpdate
from streetlight.toolkit.formats import write_rows
from streetlight.triage.presenters import screen_words
from streetlight.triage.selectors import is_city_admin, report_triage_view

from . import selectors, services

STALE_REPORT = _lazy(
    "Someone else changed this report while you were looking at it. Here is the current version: "
    "check it and make your change again."
)
STALE_ASSIGNMENT = _lazy(
    "Someone else changed this assignment while you were looking at it. Here is the current version: "
    "check it and make your change again."
)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "control/not_found.html", status=404)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    filters = selectors.QueueFilters.from_query(request.GET)
    rows = selectors.queue_rows(user=user, filters=filters)
    points = [p for p in (row.as_map_point() for row in rows) if p]
    index = area_index()
    may_chat = may_operate(user=user)
    may_see_signals = feeds_selectors.may_see_signals(user=user)
    context = {
        "rows": rows,
        "points": points,
        "filters": filters,
        "statuses": STATUS_CHOICES,
        "city_bounds": list(index.bounds) if index else None,
        "stream_url": live_stream.PATH,
        "may_manage_triage": is_city_admin(user=user),
        "may_view_audit": may_view_audit(user=user),
        "may_analyse": may_analyse(user=user),
        "may_issue_alerts": may_issue_alerts(user=user),
        "may_chat": may_chat,
        "chat_waiting": waiting_count() if may_chat else 0,
        "may_see_signals": may_see_signals,
        "open_signals": feeds_selectors.open_signal_count() if may_see_signals else 0,
        **selectors.filter_choices(user=user),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "control/_queue_body.html", context)
    return render(request, "control/queue.html", context)


@login_required
def row(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        queue_row = selectors.queue_row(
            user=staff_user(request), report_id=report_id, filters=selectors.QueueFilters.from_query(request.GET)
        )
    except ReportNotFound:
        return HttpResponse(status=404)
    return render(request, "control/_row.html", {"row": queue_row, "point": queue_row.as_map_point()})


def _file_error(request: HttpRequest, report_id: int, message: object, status: int = 400) -> HttpResponse:
    """The report's page again, with what went wrong on top."""
    return render(request, "control/report.html", _file_context(request, report_id, error=message), status=status)


def _report_action(request: HttpRequest, report_id: int, action: Callable[[], object]) -> HttpResponse:
    """Run one action on a report and answer as every action does: back to the report (or to the
    report the action returns, by id), the report's page with the error on top, or the same 404."""
    try:
        target = action()
    except ReportNotFound:
        return _not_found(request)
    except services.StaleReport:
        return _file_error(request, report_id, STALE_REPORT, status=409)
    except StaleUpdate:
        return _file_error(request, report_id, STALE_ASSIGNMENT, status=409)
    except ReportInvalid as exc:
        return _file_error(request, report_id, " ".join(exc.errors.values()))
    except (TransitionError, services.MergeRefused) as exc:
        return _file_error(request, report_id, str(exc))
    return redirect("control:report", report_id=target if isinstance(target, int) else report_id)


def _file_context(request: HttpRequest, report_id: int, **extra: object) -> dict[str, object]:
    file = selectors.report_file(user=staff_user(request), report_id=report_id)
    allowed = sorted(TRANSITIONS[Status(file.report.status)])
    labels = dict(STATUS_CHOICES)
    return {
        "file": file,
        "report": file.report,
        "next_statuses": [(s.value, labels[s.value]) for s in allowed],
        "duplicates": selectors.duplicates(user=staff_user(request), report=file.report),
        "tree": selectors.filter_choices(user=staff_user(request))["tree"],
        "assignment_statuses": AssignmentStatus.choices,
        "triage": report_triage_view(report=file.report),
        "needs": report_needs(report=file.report),  # read like the rest of the report, no extra step
        **screen_words(),
        **extra,
    }


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        return render(request, "control/report.html", _file_context(request, report_id))
    except ReportNotFound:
        return _not_found(request)


@login_required
@require_POST
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    seen = parse_datetime(request.POST.get("seen_updated_at", ""))
    return _report_action(
        request,
        report_id,
        lambda: services.control_status_change(
            actor=staff_user(request),
            report_id=report_id,
            to_status=request.POST.get("status", ""),
            seen_updated_at=seen,
            public_note=request.POST.get("public_note", "")[:2000],
        ),
    )


@login_required
@require_POST
def report_categories(request: HttpRequest, report_id: int) -> HttpResponse:
    categories = [request.POST.get("category", ""), request.POST.get("also", "")]
    seen = parse_datetime(request.POST.get("seen_updated_at", ""))
    return _report_action(
        request,
        report_id,
        lambda: services.control_categorise(
            actor=staff_user(request), report_id=report_id, categories=categories, seen_updated_at=seen
        ),
    )


@login_required
@require_POST
def report_reply(request: HttpRequest, report_id: int) -> HttpResponse:
    body = request.POST.get("body", "")[:5000]
    return _report_action(
        request, report_id, lambda: services.control_reply(actor=staff_user(request), report_id=report_id, body=body)
    )


@login_required
@require_POST
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    agency = request.POST.get("agency", "")
    return _report_action(
        request,
        report_id,
        lambda: services.control_note_add(
            actor=staff_user(request),
            report_id=report_id,
            body=request.POST.get("body", "")[:5000],
            agency_id=int(agency) if agency.isdigit() else None,
        ),
    )


@login_required
@require_POST
def case_create(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("reports") if i.isdigit()]
    try:
        case = services.joint_case_create(
            actor=staff_user(request), title=request.POST.get("title", ""), report_ids=ids
        )
    except ReportNotFound:
        return _not_found(request)
    except ReportInvalid as exc:
        return render(request, "control/bulk_done.html", {"error": " ".join(exc.errors.values())}, status=400)
    return redirect("control:case", case_id=case.pk)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        file = selectors.case_get_for_user(user=staff_user(request), case_id=case_id)
    except ReportNotFound:
        return _not_found(request)
    return render(request, "control/case.html", {"file": file})


@login_required
@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        services.case_note_add(actor=staff_user(request), case_id=case_id, body=request.POST.get("body", "")[:5000])
    except ReportNotFound:
        return _not_found(request)
    except ReportInvalid:
        pass  # an empty note is simply not added; the page shows the notes as they are
    return redirect("control:case", case_id=case_id)


@login_required
@require_POST
def report_split(request: HttpRequest, report_id: int) -> HttpResponse:
    """Back to the original report: the new one reaches the queues once the worker has routed it."""
    return _report_action(
        request,
        report_id,
        lambda: (
            services.control_split(
                actor=staff_user(request),
                report_id=report_id,
                category=request.POST.get("category", ""),
                description=request.POST.get("description", "")[:5000],
            )
            and None
        ),
    )


@login_required
@recent_authentication_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered queue as CSV, for the agency's own records; the export itself is audited."""
    filters = selectors.QueueFilters.from_query(request.GET)
    rows = selectors.export_rows(user=staff_user(request), filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="streetlight-reports.csv"'
    write_rows(rows, response, "csv")  # type: ignore[arg-type]
    return response


@login_required
@require_POST
def assignment_change(request: HttpRequest, report_id: int) -> HttpResponse:
    post = request.POST
    assignee = post.get("assignee", "")
    return _report_action(
        request,
        report_id,
        lambda: services.control_assignment_update(
            actor=staff_user(request),
            report_id=report_id,
            agency_id=int(post.get("agency", "0") or 0),
            version=int(post.get("version", "0") or 0),
            status=post.get("status", ""),
            assignee_id=int(assignee) if assignee.isdigit() else None,
        ),
    )


@login_required
@require_POST
def assign_agency(request: HttpRequest, report_id: int) -> HttpResponse:
    agency = request.POST.get("agency", "")
    return _report_action(
        request,
        report_id,
        lambda: services.control_assign_agency(
            actor=staff_user(request), report_id=report_id, agency_id=int(agency) if agency.isdigit() else 0
        ),
    )


@login_required
@require_POST
def report_merge(request: HttpRequest, report_id: int) -> HttpResponse:
    into = request.POST.get("into", "")
    return _report_action(
        request,
        report_id,
        lambda: (
            services.control_merge(
                actor=staff_user(request), report_id=report_id, into_id=int(into) if into.isdigit() else -1
            ).pk
        ),
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("reports") if i.isdigit()]
    if not ids:
        return render(request, "control/bulk_done.html", {"error": _("Select at least one report.")}, status=400)
    results = services.control_bulk_status(
        actor=staff_user(request), report_ids=ids, to_status=request.POST.get("status", "")
    )
    return render(
        request,
        "control/bulk_done.html",
        {"results": results, "refs": selectors.references(user=staff_user(request), report_ids=list(results))},
    )


@login_required
@require_POST
@recent_authentication_required(return_to=lambda request, report_id: reverse("control:report", args=[report_id]))
def report_contact(request: HttpRequest, report_id: int) -> HttpResponse:
    """Contact details are shown on an explicit request, and the read is audited."""
    try:
        context = _file_context(request, report_id)
    except ReportNotFound:
        return _not_found(request)
    purpose = request.POST.get("purpose", "").strip()[:200]
    if not purpose:
        context["error"] = _("Say why you need the contact details: the reason is kept in the audit log.")
        return render(request, "control/report.html", context, status=400)
    file = context["file"]
    assert isinstance(file, selectors.ReportFile)
    context["contact"] = report_contact_read(report=file.report, actor=staff_user(request), purpose=purpose)
    response = render(request, "control/report.html", context)
    response["Cache-Control"] = "no-store"
    return response
