"""Open data: counts anyone may download, built so that no one can be identified.

- Reports whose authors allowed statistics, by the **quarter Streetlight received them**, for
  quarters that are over: a published figure never changes afterwards, so comparing two downloads
  cannot reveal a single new report (merged duplicates are therefore counted as received).
- Per area (the city's districts) and main category, sensitive categories included: an area is
  coarse enough. Nothing finer is published, and no position of any report, ever.
- No published count is under k (STREETLIGHT_PUBLIC_MIN_COUNT, 10 by default), and enough other
  counts are hidden — margins included — that none can be worked out by subtraction.
- One table per quarter, one granularity: overlapping releases (a year and its quarters, or
  arbitrary date ranges) would let hidden cells be derived by differencing, so they are not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.reports.models import Area
from streetlight.toolkit.geo.aggregate import aggregate
from streetlight.toolkit.privacy import suppress_aggregate

from .data import BadFilter, Filters, report_arrays
from .selectors import min_count

TOTAL = "total"
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_bounds(label: str) -> tuple[date, date]:
    """First and last day of "2026-Q2"; BadFilter naming `quarter` for anything else or unfinished."""
    match = QUARTER.match(label.strip())
    if not match:
        raise BadFilter({"quarter": _("Give a quarter like 2026-Q2.")})
    year, q = int(match.group(1)), int(match.group(2))
    since = date(year, 3 * q - 2, 1)
    until = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    if until > timezone.localdate():
        raise BadFilter({"quarter": _("Only quarters that are over are published.")})
    return since, date.fromordinal(until.toordinal() - 1)


def quarters_available(*, count: int = 8) -> list[str]:
    """The last `count` finished quarters, most recent first."""
    today = timezone.localdate()
    year, q = today.year, (today.month - 1) // 3  # the quarter before the current one
    labels: list[str] = []
    while len(labels) < count:
        if q == 0:
            year, q = year - 1, 4
        labels.append(f"{year}-Q{q}")
        q -= 1
    return labels


@dataclass(frozen=True)
class Release:
    quarter: str
    rows: list[dict[str, Any]]  # {"area", "category", "count"}; count None where hidden; margins "total"
    hidden: int
    k: int

    def metadata(self) -> dict[str, Any]:
        return {
            "dataset": "reports-by-area-and-category",
            "quarter": self.quarter,
            "counted_by": "date received",
            "min_count": self.k,
            "hidden_counts": self.hidden,
            "licence": "CC-BY-4.0",
        }


def by_area(quarter: str) -> Release:
    since, until = quarter_bounds(quarter)
    arrays = report_arrays(Filters(since=since, until=until), by_received=True)
    placed = arrays.area != ""
    agg = aggregate(
        arrays.lat[placed],
        arrays.lon[placed],
        arrays.when[placed],
        categories=arrays.main[placed],
        areas=arrays.area[placed],
        by=("area", "category"),
    )
    if not len(agg):
        return Release(quarter, [], 0, min_count())
    release = suppress_aggregate(agg, rows=("area",), cols=("category",), k=min_count())
    return Release(quarter, release.to_rows(), int(release.table.suppressed.sum()), min_count())


def area_geojson(release: Release) -> dict[str, Any]:
    """One feature per area with its published counts by main category (null where hidden)."""
    counts: dict[str, dict[str, int | None]] = {}
    for row in release.rows:
        counts.setdefault(str(row["area"]), {})[str(row["category"])] = row["count"]
    areas = Area.objects.order_by("code")
    return {
        "type": "FeatureCollection",
        "metadata": {**release.metadata(), "totals": counts.get(TOTAL, {})},
        "features": [
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {"area": area.code, "name": area.name, "counts": counts.get(area.code, {})},
            }
            for area in areas
        ],
    }
