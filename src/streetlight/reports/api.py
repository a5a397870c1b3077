"""Citizen REST API under /api/v1: submit, categories with guidance, follow-up by token."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import ValidationError as PydanticValidationError

from streetlight.core.api_errors import ApiProblem, pydantic_problem
from streetlight.core.ratelimit import submission_limited

from . import selectors, services
from .drafts import PhotoUpload
from .errors import ReportNotFound
from .models import Report
from .presenters import category_dict, followup_dict
from .rights_selectors import report_export_for_reporter
from .schemas import (
    AddInformationIn,
    AreaOut,
    CategoryOut,
    EraseIn,
    FollowupOut,
    MessageOut,
    RateIn,
    ReopenIn,
    ReportCreated,
    ReportExportOut,
    ReportIn,
)
from .services.rights import report_erase_by_reporter

router = Router(tags=["reports"])

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class FollowupBearer(HttpBearer):
    """The follow-up token as a bearer token: it never has to appear in a URL."""

    def authenticate(self, request: HttpRequest, token: str) -> Report | None:
        try:
            return selectors.report_get_by_token(token=token)
        except ReportNotFound:
            return None


def _check_idempotency_key(key: str | None) -> None:
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise ApiProblem(
            status=400,
            title=_("Invalid Idempotency-Key header"),
            errors={"Idempotency-Key": _("Use 8 to 128 letters, digits or . _ : - (a UUID is ideal).")},
        )


def _rate_limit(request: HttpRequest) -> None:
    if (wait := submission_limited(request)) is not None:
        raise ApiProblem(
            status=429,
            title=_("Too many reports from this connection"),
            detail=_("Please wait %(s)d seconds and try again.") % {"s": wait},
            headers={"Retry-After": str(wait)},
        )


def _created(request: HttpRequest, submitted: services.Submitted) -> tuple[int, dict[str, Any]]:
    report = submitted.report
    url = request.build_absolute_uri(reverse("reports:followup", args=[submitted.followup_token]))
    body = {
        "reference": report.reference,
        "status": report.status,
        "category": report.category.code,
        "followup_token": submitted.followup_token,
        "followup_url": url,
        "guidance": selectors.guidance_for_report(report=report),
    }
    return 201, body


def _submit(request: HttpRequest, body: ReportIn, photos: list[PhotoUpload], key: str | None) -> tuple[int, Any]:
    _check_idempotency_key(key)
    _rate_limit(request)
    draft = body.to_draft(default_language=getattr(request, "LANGUAGE_CODE", "en"))
    if photos:
        draft = type(draft)(**{**draft.__dict__, "photos": tuple(photos)})
    source = "api"
    submitted = services.report_submit(draft=draft, source=source, idempotency_key=key)
    return _created(request, submitted)


@router.post("/reports", response={201: ReportCreated}, summary="Submit a report (JSON)")
def report_create(
    request: HttpRequest, body: ReportIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> tuple[int, Any]:
    """Send the same Idempotency-Key when retrying: you get the first report back, never a copy."""
    return _submit(request, body, [], idempotency_key)


@router.post("/reports/with-photos", response={201: ReportCreated}, summary="Submit a report with photos (multipart)")
def report_create_multipart(
    request: HttpRequest,
    report: Form[str],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> tuple[int, Any]:
    """`report` is the same JSON document as for /reports; `photos` are JPEG, PNG or WebP files."""
    try:
        body = ReportIn.model_validate_json(report)
    except PydanticValidationError as exc:
        raise pydantic_problem(exc, prefix="report") from exc
    uploads = [PhotoUpload(name=f.name or "photo", content=f.read()) for f in (photos or [])]
    return _submit(request, body, uploads, idempotency_key)


@router.get("/categories", response=list[CategoryOut], summary="Categories with help and guidance")
def category_list(request: HttpRequest) -> list[dict[str, Any]]:
    """In the language of Accept-Language or `?lang=`; includes sensitive categories, which the
    public Open311 list leaves out."""
    return [category_dict(c) for c in selectors.category_list()]


@router.get("/areas", response=list[AreaOut], summary="The city's areas")
def area_list(request: HttpRequest) -> Any:
    return selectors.area_list()


@router.get("/followup", response=FollowupOut, auth=FollowupBearer(), summary="Follow up on your report")
def followup(request: HttpRequest) -> dict[str, Any]:
    report: Report = request.auth  # type: ignore[attr-defined]
    return followup_dict(
        report,
        list(selectors.report_history(report=report)),
        list(selectors.report_public_messages(report=report)),
    )


@router.post("/followup/messages", response={201: MessageOut}, auth=FollowupBearer(), summary="Add information")
def followup_add(request: HttpRequest, body: AddInformationIn) -> tuple[int, dict[str, Any]]:
    report: Report = request.auth  # type: ignore[attr-defined]
    message = services.report_add_information(report=report, body=body.body)
    return 201, {"author": message.author_kind, "body": message.body, "at": message.at}


@router.post("/followup/rating", response={204: None}, auth=FollowupBearer(), summary="Rate the answer")
def followup_rate(request: HttpRequest, body: RateIn) -> tuple[int, None]:
    """Once the report is resolved or closed."""
    report: Report = request.auth  # type: ignore[attr-defined]
    services.report_rate(report=report, score=body.score, comment=body.comment)
    return 204, None


@router.post("/followup/reopen", response=FollowupOut, auth=FollowupBearer(), summary="Reopen: not solved")
def followup_reopen(request: HttpRequest, body: ReopenIn) -> dict[str, Any]:
    report: Report = request.auth  # type: ignore[attr-defined]
    services.report_reopen_by_reporter(report=report, reason=body.reason)
    return followup_dict(
        report, list(selectors.report_history(report=report)), list(selectors.report_public_messages(report=report))
    )


@router.get("/followup/export", response=ReportExportOut, auth=FollowupBearer(), summary="Download your report")
def followup_export(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """Everything you gave, your contact details included, and what happened since. The read is
    recorded in the audit log as your own."""
    report: Report = request.auth  # type: ignore[attr-defined]
    response["Cache-Control"] = "no-store"
    return report_export_for_reporter(report=report)


@router.post("/followup/erase", response={204: None}, auth=FollowupBearer(), summary="Erase your report")
def followup_erase(request: HttpRequest, body: EraseIn) -> tuple[int, None]:
    """Removes your words, the exact place, photos, messages and contact details at once, and the token
    stops working; an anonymous count remains. Agencies working the report are told."""
    report: Report = request.auth  # type: ignore[attr-defined]
    report_erase_by_reporter(report=report)
    return 204, None
