"""Open data under /api/v1/open-data: aggregate counts only, per finished quarter (see open_data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from streetlight.core import api_errors
from streetlight.toolkit.formats import write_rows

from . import open_data, private_release
from .data import BadFilter

router = Router(tags=["open data"])
INVALID_QUERY = "urn:streetlight:problem:invalid-query"


@router.get(
    "/quarters",
    summary="The quarters that can be downloaded, most recent first",
    response=list[str],
)
def quarters(request: HttpRequest) -> list[str]:
    return open_data.quarters_available()


@router.get(
    "/reports-by-area",
    summary="Reports per area and main category in one finished quarter",
    description=(
        "Counts under the minimum (metadata.min_count) and the counts that would reveal them are null. "
        "Sensitive categories are included at area level only; no position is ever released."
    ),
)
def reports_by_area(request: HttpRequest, quarter: str, format: Literal["geojson", "csv"] = "geojson") -> HttpResponse:
    try:
        release = open_data.by_area(quarter)
    except BadFilter as exc:
        raise api_errors.ApiProblem(
            status=400, title=_("Some parameters are not valid"), errors=exc.errors, type_=INVALID_QUERY
        ) from exc
    filename = f"streetlight-reports-by-area-{release.quarter}"
    if format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        write_rows(release.rows, response, "csv", fieldnames=["area", "category", "count"])  # type: ignore[arg-type]
        return response
    response = JsonResponse(open_data.area_geojson(release), content_type="application/geo+json")
    response["Content-Disposition"] = f'inline; filename="{filename}.geojson"'
    return response


@router.get(
    "/reports-by-area-private",
    summary="Reports per area and main category in one finished quarter, with differential privacy",
    description=(
        "Every area × main category, each count with OpenDP discrete Laplace noise (metadata.epsilon, "
        "metadata.scale); negative draws are shown as 0. Made once per quarter and served as made. "
        "404 until the quarter's table exists."
    ),
    openapi_extra=api_errors.problem_responses(404),
)
def reports_by_area_private(
    request: HttpRequest, quarter: str, format: Literal["geojson", "csv"] = "geojson"
) -> HttpResponse:
    release = private_release.release_for(quarter=quarter.strip()[:8])
    if release is None:
        raise api_errors.ApiProblem(
            status=404,
            title=_("No private table for this quarter yet."),
            errors={"quarter": _("Choose a quarter listed in /open-data/privacy-ledger.")},
        )
    rows = private_release.private_release_rows(release)
    filename = f"streetlight-reports-by-area-private-{release.quarter}"
    if format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        write_rows(rows, response, "csv", fieldnames=["area", "category", "count"])  # type: ignore[arg-type]
        return response
    response = JsonResponse(private_release.geojson(release), content_type="application/geo+json")
    response["Content-Disposition"] = f'inline; filename="{filename}.geojson"'
    return response


class LedgerEntryOut(Schema):
    release_id: str
    quarter: str
    epsilon: float
    mechanism: str
    sensitivity: int
    created_at: datetime


class LedgerOut(Schema):
    enabled: bool
    spent: float
    budget: float | None
    releases: list[LedgerEntryOut]


@router.get("/privacy-ledger", response=LedgerOut, summary="Every private release and the ε it spent")
def privacy_ledger(request: HttpRequest) -> dict[str, Any]:
    return private_release.ledger()
