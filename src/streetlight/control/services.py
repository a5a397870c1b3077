"""Control-room writes. Each checks that the actor may see the report, then calls the owning app's
service, so rules (lifecycle, consent, audit) stay where they live."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.live.services import event_publish
from streetlight.notify.services import assignments_notify, report_changed_notify
from streetlight.notify.tasks import send_reporter_email
from streetlight.reports import services as report_services
from streetlight.reports.errors import ReportInvalid, ReportNotFound
from streetlight.reports.lifecycle import TransitionError
from streetlight.reports.models import Category, Message, Report, StatusChange
from streetlight.reports.services.submit import new_reference
from streetlight.reports.tasks import process_report
from streetlight.routing.enums import AssignmentStatus
from streetlight.routing.models import Agency, Assignment
from streetlight.routing.selectors import agencies_of, report_get_for_user
from streetlight.routing.services import ConsentRefused, assignment_update, report_assign
from streetlight.triage.models import TriageLabel
from streetlight.triage.services import report_label

from .models import JointCase, Note


class MergeRefused(Exception):
    """The two reports cannot be merged; the message says why."""


@transaction.atomic
def control_merge(*, actor: User, report_id: int, into_id: int) -> Report:
    """Merge a duplicate into another report. The duplicate's reporter is told on their follow-up
    page and keeps hearing of the surviving report (replies are copied to them)."""
    source = report_get_for_user(user=actor, report_id=report_id)
    target = report_get_for_user(user=actor, report_id=into_id)
    if source.pk == target.pk:
        raise MergeRefused(_("A report cannot be merged into itself."))
    if target.status == "merged":
        raise MergeRefused(_("That report was itself merged; merge into the report it was merged into."))
    report_services.report_transition(
        report=source,
        to_status="merged",
        actor=actor,
        public_note=_(
            "Your report was joined with another report about the same thing (%(ref)s). We keep you informed here."
        )
        % {"ref": target.reference},
    )
    Report.objects.filter(pk=source.pk).update(merged_into=target)
    audit.record(actor=actor, action="report.merged", target=source, data={"into": target.pk})
    event_publish(kind="report.merged", report_id=target.pk)
    return target


class StaleReport(Exception):
    """The report changed since the operator loaded it."""


def control_assignment_update(
    *, actor: User, report_id: int, agency_id: int, version: int, status: str, assignee_id: int | None
) -> None:
    """Change one's own agency's assignment: its status and the person working it. A version that
    moved on meanwhile raises routing's StaleUpdate (answered 409)."""
    report_get_for_user(user=actor, report_id=report_id)
    assignment = Assignment.objects.filter(
        report_id=report_id, agency__in=agencies_of(user=actor), agency_id=agency_id
    ).first()
    if assignment is None:
        raise ReportNotFound()
    if status not in AssignmentStatus.values:
        raise ReportInvalid({"status": _("Choose a status from the list.")})
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, memberships__agency_id=agency_id, is_active=True).first()
        if assignee is None:
            raise ReportInvalid({"assignee": _("Choose a member of this agency.")})
    assignment_update(assignment=assignment, actor=actor, expected_version=version, status=status, assignee=assignee)


def control_assign_agency(*, actor: User, report_id: int, agency_id: int) -> Assignment:
    report = report_get_for_user(user=actor, report_id=report_id)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise ReportInvalid({"agency": _("Choose an agency from the list.")})
    try:
        assignment = report_assign(report=report, agency=agency, actor=actor)
    except ConsentRefused as exc:
        raise ReportInvalid(
            {"agency": _("The reporter did not agree to share this report with %(name)s.") % {"name": agency.name}}
        ) from exc
    assignments_notify(assignments=[assignment])
    return assignment


@transaction.atomic
def joint_case_create(*, actor: User, title: str, report_ids: list[int]) -> JointCase:
    """Link reports the actor can see into a case shared by every agency working on them."""
    if not title.strip() or len(title) > 200 or "\x00" in title:
        raise ReportInvalid({"title": _("Give the case a short title.")})
    reports = [report_get_for_user(user=actor, report_id=rid) for rid in dict.fromkeys(report_ids)]
    if len(reports) < 2:
        raise ReportInvalid({"reports": _("Select at least two reports for a joint case.")})
    case = JointCase.objects.create(title=title.strip(), created_by=actor, created_at=timezone.now())
    case.reports.set(reports)
    case.agencies.set(Agency.objects.filter(assignments__report__in=reports).distinct())
    audit.record(actor=actor, action="case.created", target=case, data={"reports": [r.pk for r in reports]})
    for report in reports:
        event_publish(kind="report.case", report_id=report.pk)
    return case


@transaction.atomic
def control_split(*, actor: User, report_id: int, category: str, description: str) -> Report:
    """Part of a report is another matter: make it a report of its own, with the same consent and
    place, routed like any report. The reporter is told on their follow-up page."""
    source = report_get_for_user(user=actor, report_id=report_id)
    category_obj = Category.objects.filter(code=category, active=True).first()
    errors = {}
    if category_obj is None:
        errors["category"] = _("Choose a category from the list.")
    if not description.strip() or len(description) > 5000 or "\x00" in description:
        errors["description"] = _("Describe the part that becomes its own report.")
    if errors:
        raise ReportInvalid(errors)
    assert category_obj is not None
    now = timezone.now()
    new = Report.objects.get(pk=source.pk)
    new.pk = None
    new.reference = new_reference()
    new.category, new.kind, new.description = category_obj, category_obj.kind, description.strip()
    new.status, new.idempotency_key, new.idempotency_fingerprint = "received", None, ""
    new.merged_into, new.created_at, new.updated_at, new.processed_at = None, now, now, None
    new.split_from = source
    new.save()
    StatusChange.objects.create(report=new, from_status="", to_status="received", at=now, actor=actor)
    Message.objects.create(
        report=source,
        author_kind=Message.Author.STAFF,
        author=actor,
        public=True,
        at=now,
        body=_("Part of your report is now handled as a separate report, %(ref)s.") % {"ref": new.reference},
    )
    audit.record(actor=actor, action="report.split", target=source, data={"new": new.pk})
    process_report.enqueue(report_id=new.pk)
    return new


def control_bulk_status(*, actor: User, report_ids: list[int], to_status: str) -> dict[int, str]:
    """Apply one status to a selection; each report succeeds or fails on its own, with a reason."""
    results: dict[int, str] = {}
    for report_id in report_ids[:200]:
        try:
            control_status_change(actor=actor, report_id=report_id, to_status=to_status, seen_updated_at=None)
        except ReportNotFound:
            results[report_id] = _("not found")
        except TransitionError as exc:
            results[report_id] = str(exc)
        else:
            results[report_id] = ""
    return results


@transaction.atomic
def control_status_change(
    *, actor: User, report_id: int, to_status: str, seen_updated_at: datetime | None, public_note: str = ""
) -> StatusChange:
    """Change a report's status, refusing it if someone else changed the report first (409)."""
    report = report_get_for_user(user=actor, report_id=report_id)
    locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise StaleReport(report_id)
    change = report_services.report_transition(report=locked, to_status=to_status, actor=actor, public_note=public_note)
    report_changed_notify(report=locked, event="report.status_changed")
    if change.to_status == "resolved":
        send_reporter_email.enqueue(report_id=locked.pk, kind="resolved", text=change.public_note)
    return change


@transaction.atomic
def control_categorise(
    *, actor: User, report_id: int, categories: list[str], seen_updated_at: datetime | None
) -> TriageLabel:
    """Confirm or correct a report's categories; the verdict becomes training data for triage."""
    report = report_get_for_user(user=actor, report_id=report_id)
    locked = Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=report.pk)
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise StaleReport(report_id)
    label = report_label(actor=actor, report=locked, categories=categories)
    agency_ids = list(Assignment.objects.filter(report=locked).values_list("agency_id", flat=True))
    event_publish(kind="report.changed", report_id=locked.pk, agency_ids=agency_ids)
    report_changed_notify(report=locked, event="report.categorised")
    return label


def control_reply(*, actor: User, report_id: int, body: str) -> Message:
    """A message to the reporter, shown on their follow-up page (anonymous reporters included)."""
    report = report_get_for_user(user=actor, report_id=report_id)
    with transaction.atomic():
        message = report_services.report_reply(report=report, actor=actor, body=body, public=True)
        send_reporter_email.enqueue(report_id=report.pk, kind="reply", text=message.body)
    return message


@transaction.atomic
def case_note_add(*, actor: User, case_id: int, body: str) -> Note:
    """A note shared by every agency in the case."""
    from .selectors import case_get_for_user

    case = case_get_for_user(user=actor, case_id=case_id).case
    if not body.strip() or "\x00" in body:
        raise ReportInvalid({"body": _("Write a note.")})
    note = Note.objects.create(case=case, author=actor, body=body.strip(), at=timezone.now())
    audit.record(actor=actor, action="case.note_added", target=case)
    return note


@transaction.atomic
def control_note_add(*, actor: User, report_id: int, body: str, agency_id: int | None) -> Note:
    """An internal note, for one of the actor's agencies or shared with all agencies on the report."""
    report = report_get_for_user(user=actor, report_id=report_id)
    if not body.strip() or "\x00" in body:
        raise ReportInvalid({"body": _("Write a note.")})
    agency = None
    if agency_id is not None:
        agency = agencies_of(user=actor).filter(pk=agency_id).first()
        if agency is None:
            raise ReportInvalid({"agency": _("You can keep a note only for an agency you work for.")})
    note = Note.objects.create(report=report, agency=agency, author=actor, body=body.strip(), at=timezone.now())
    audit.record(actor=actor, action="report.note_added", target=report, data={"agency": agency_id})
    event_publish(kind="report.note", report_id=report.pk, agency_ids=[agency.pk] if agency else None)
    return note
