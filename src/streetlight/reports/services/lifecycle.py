"""Status changes, replies and additions: the report's life after intake."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.live.services import event_publish

from ..drafts import PhotoUpload
from ..errors import ReportInvalid
from ..lifecycle import check_transition, is_open
from ..models import Message, Report, StatusChange
from .photos import check_photos, clean_photo, photos_store
from .validation import MAX_DESCRIPTION


@transaction.atomic
def report_transition(*, report: Report, to_status: str, actor: User | None, public_note: str = "") -> StatusChange:
    """Move a report along its lifecycle; refused moves raise TransitionError."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    target = check_transition(locked.status, to_status)
    now = timezone.now()
    change = StatusChange.objects.create(
        report=locked,
        from_status=locked.status,
        to_status=target.value,
        at=now,
        actor=actor,
        public_note=public_note.strip(),
    )
    Report.objects.filter(pk=locked.pk).update(status=target.value, updated_at=now)
    audit.record(
        actor=actor,
        action="report.status_changed",
        target=locked,
        data={"from": change.from_status, "to": change.to_status},
    )
    event_publish(kind="report.status_changed", report_id=locked.pk)
    report.status, report.updated_at = target.value, now
    return change


@transaction.atomic
def report_reply(*, report: Report, actor: User, body: str, public: bool) -> Message:
    """A staff member writes to the reporter (public) or leaves an internal note."""
    if not body.strip() or "\x00" in body:
        raise ReportInvalid({"body": _("Write a message.")})
    if public:  # reporters whose duplicates were merged into this report hear the reply too
        for merged in Report.objects.filter(merged_into=report):
            Message.objects.create(
                report=merged,
                author_kind=Message.Author.STAFF,
                author=actor,
                body=body.strip(),
                public=True,
                at=timezone.now(),
            )
    message = Message.objects.create(
        report=report,
        author_kind=Message.Author.STAFF,
        author=actor,
        body=body.strip(),
        public=public,
        at=timezone.now(),
    )
    audit.record(actor=actor, action="report.replied", target=report, data={"public": public})
    event_publish(kind="report.message", report_id=report.pk)
    return message


def report_add_information(*, report: Report, body: str, photos: tuple[PhotoUpload, ...] = ()) -> Message:
    """The reporter adds to their report through the follow-up link; reopens nothing by itself,
    but a closed report tells them to file a new one."""
    text = body.strip()
    errors: dict[str, str] = {}
    if "\x00" in body:
        errors["body"] = _("This text contains a character we cannot store (NUL). Remove it and try again.")
    elif not text and not photos:
        errors["body"] = _("Write what you want to add, or add a photo.")
    if len(body) > MAX_DESCRIPTION:
        errors["body"] = _("The text is too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION}
    if not is_open(report.status):
        errors["body"] = _("This report is closed. Please make a new report.")
    if errors:
        raise ReportInvalid(errors)
    check_photos(photos)
    cleaned = [clean_photo(p) for p in photos]
    with transaction.atomic():
        now = timezone.now()
        message = Message.objects.create(
            report=report, author_kind=Message.Author.REPORTER, body=text, public=True, at=now
        )
        photos_store(report=report, photos=cleaned, at=now)
        Report.objects.filter(pk=report.pk).update(updated_at=now)
        event_publish(kind="report.message", report_id=report.pk)
        audit.record(
            actor=None,
            action="report.information_added",
            target=report,
            data={"photos": len(cleaned)},
            actor_label="reporter",
        )
    return message
