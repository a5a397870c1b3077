"""Reads for data rights: a reporter downloading their report, and a city administrator answering an
access request by e-mail address. Every read leaves an audit entry, with the reason given."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.core import crypto
from streetlight.triage.selectors import is_city_admin

from .errors import ReportInvalid
from .models import Feedback, Photo, Report, ReportContact
from .presenters import status_dict
from .selectors import report_contact_read, report_history, report_public_messages

MAX_REASON = 300


def _photo(photo: Photo) -> dict[str, Any]:
    try:
        with photo.image.open("rb") as fh:
            data = base64.b64encode(fh.read()).decode("ascii")
    except OSError:  # the file went missing on disk: say so rather than fail the whole download
        data = None
    return {
        "added_at": photo.added_at,
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "base64": data,
    }


def _story(report: Report) -> dict[str, Any] | None:
    """The story the reporter shared, if any (the stories app's, through its reverse relation)."""
    story = getattr(report, "story", None)
    if story is None:
        return None
    return {
        "status": story.status,
        "text": story.original_text,
        "published_text": story.final_text if story.published_at else "",
        "reject_reason": story.reject_reason,
        "submitted_at": story.submitted_at,
        "published_at": story.published_at,
        "me_too_count": story.me_too_count,
    }


def export_document(report: Report, contact: ReportContact | None, *, now: datetime) -> dict[str, Any]:
    """The report as its reporter gave it and as it went on: the answer to a right of access. Staff's
    internal notes are not part of it; the public replies and status notes are."""
    return {
        "reference": report.reference,
        "exported_at": now,
        "category": report.category.code,
        "category_name": report.category.name(),
        "kind": report.kind,
        "status": report.status,
        "received_at": report.created_at,
        "description": report.description,
        "language": report.language,
        "when": {"kind": report.when_kind, "start": report.occurred_from, "end": report.occurred_to},
        "location": {
            "kind": report.location_kind,
            "lat": report.lat,
            "lon": report.lon,
            "precision_m": report.precision_m,
            "area": report.area.code if report.area else None,
            "address": report.address,
        },
        "consent": {
            "police": report.share_police,
            "victim_support": report.share_victim_support,
            "social_services": report.share_social_services,
            "city": report.share_city,
            "contact": report.may_contact,
            "public_statistics": report.public_statistics,
        },
        "feeling": (
            {"safety_score": report.safety_score, "reasons": report.unsafe_reasons, "day_night": report.day_night}
            if report.safety_score is not None
            else None
        ),
        "needs": {"needs": list(report.needs), "interpreter_language": report.interpreter_language},
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone} if contact else None,
        "history": [status_dict(change) for change in report_history(report=report)],
        "messages": [
            {"author": m.author_kind, "body": m.body, "at": m.at} for m in report_public_messages(report=report)
        ],
        "feedback": [
            {"score": f.score, "comment": f.comment, "at": f.at} for f in Feedback.objects.filter(report=report)
        ],
        "photos": [_photo(p) for p in Photo.objects.filter(report=report).order_by("added_at", "pk")],
        "story": _story(report),
        "merged_into": report.merged_into.reference if report.merged_into else None,
        "anonymised_at": report.anonymised_at,
    }


def report_export_for_reporter(*, report: Report) -> dict[str, Any]:
    """The reporter's own download through their follow-up token, audited as the reporter's read."""
    contact = report_contact_read(report=report, actor=None, purpose="download by the reporter", actor_label="reporter")
    audit.record(actor=None, action="report.exported", target=report, data={"by": "reporter"}, actor_label="reporter")
    return export_document(report, contact, now=timezone.now())


def reports_for_email(*, email: str) -> list[Report]:
    """Reports whose contact address is `email` (found through the blind index, never by decrypting
    every row), with the reports split from them, which carry the same place. Not audited: callers
    audit what they show or do."""
    index = crypto.blind_index(email)
    if not index:
        return []
    found = list(Report.objects.filter(contact__email_index=index).values_list("pk", flat=True))
    return list(
        (Report.objects.filter(pk__in=found) | Report.objects.filter(split_from__in=found))
        .select_related("category__parent", "area", "merged_into")
        .prefetch_related("category__texts")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def check_reason(reason: str) -> str:
    """An access request is answered for a stated reason, kept in the audit log with each read."""
    text = reason.strip()
    if not text or len(text) > MAX_REASON or "\x00" in text:
        raise ReportInvalid({"reason": _("Say in a few words why (at most %(n)d characters).") % {"n": MAX_REASON}})
    return text


def require_city_admin(actor: User) -> None:
    """Access requests are the city's to answer: its administrators only, checked here as well as in
    the view, so no other caller can skip it."""
    if not is_city_admin(user=actor):
        raise PermissionDenied


def access_request_search(*, actor: User, email: str, reason: str) -> list[Report]:
    """An administrator looks up a person's reports by e-mail address, for the reason entered; the
    address itself is not written to the audit log, which can never be erased."""
    require_city_admin(actor)
    why = check_reason(reason)
    reports = reports_for_email(email=email)
    for report in reports:
        audit.record(actor=actor, action="report.access_request_found", target=report, data={"reason": why})
    return reports


def access_request_export(*, actor: User, email: str, reason: str, report_ids: list[int]) -> dict[str, Any]:
    """The chosen reports of that address as one JSON document; each read is audited."""
    require_city_admin(actor)
    why = check_reason(reason)
    now = timezone.now()
    chosen = [r for r in reports_for_email(email=email) if r.pk in set(report_ids)]
    documents = []
    for report in chosen:
        contact = report_contact_read(report=report, actor=actor, purpose=f"access request: {why}")
        audit.record(actor=actor, action="report.exported", target=report, data={"by": "access_request", "reason": why})
        documents.append(export_document(report, contact, now=now))
    return {"exported_at": now, "email": email.strip(), "reports": documents}
