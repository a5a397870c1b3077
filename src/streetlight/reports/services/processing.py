"""Background processing of a new report. Idempotent: a retried task changes nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from streetlight.audit import services as audit
from streetlight.toolkit.geo import blur_point

from ..geo import area_index
from ..models import Report


def public_location(report: Report) -> tuple[float | None, float | None]:
    """Where the public may see this report: never for sensitive categories, the centre of an H3
    cell for a point, the area's centre for an area, nothing otherwise."""
    if report.category.sensitive or not report.public_statistics:
        return None, None
    if report.lat is not None and report.lon is not None:
        return blur_point(report.lat, report.lon, resolution=int(settings.STREETLIGHT["PUBLIC_BLUR_RESOLUTION"]))
    if report.area_id is not None:
        index = area_index()
        if index is not None and report.area is not None and report.area.code in index.codes:
            return index.centroid(report.area.code)
    return None, None


@transaction.atomic(savepoint=False)  # a step of the report's processing: no savepoint round trips
def report_process(*, report_id: int) -> Report | None:
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("category", "area").filter(pk=report_id).first()
    )
    if report is None or report.processed_at is not None:
        return report
    report.public_lat, report.public_lon = public_location(report)
    report.processed_at = timezone.now()
    report.save(update_fields=["public_lat", "public_lon", "processed_at"])
    audit.record(actor=None, action="report.processed", target=report)
    return report
