"""Differentially private open data: the same table as `open_data.by_area` — reports per area and main
category in one finished quarter — with OpenDP's discrete Laplace noise instead of suppression.

- Made once per quarter (by `streetlight tick`), stored, and served as stored: downloading it again
  never spends more privacy budget and never gives a fresh draw of noise to average away.
- The cells are every area × every main category of the catalogue, whatever the data: which cells
  exist reveals nothing.
- Every release is in a ledger (the `PrivateRelease` rows) with the ε it spent, written in the same
  transaction as the counts; a total budget, when set, refuses the release that would exceed it.
- Each report belongs to the one quarter it was received in, so quarters hold disjoint reports. A
  person is protected at ε per quarter in which they reported (STREETLIGHT_DP_CONTRIBUTIONS
  bounds how many reports one person may add to a quarter's table; 1 by default).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from streetlight.reports.models import Area, Category, Report
from streetlight.toolkit.privacy import BudgetExceeded, dp_counts, opendp_available

from .data import Filters, report_arrays
from .models import PrivateRelease
from .open_data import QUARTER, quarter_bounds, quarters_available

logger = logging.getLogger(__name__)
DATASET = "reports-by-area-and-category"


def enabled() -> bool:
    return float(settings.STREETLIGHT["DP_EPSILON"]) > 0 and opendp_available()


@dataclass
class DatabaseLedger:
    """The toolkit's ledger protocol over `PrivateRelease` rows; `record` runs inside the caller's
    transaction, so the ε is accounted if and only if the counts are stored."""

    budget: float | None
    quarter: str
    row: PrivateRelease | None = None

    def record(
        self, *, release_id: str, epsilon: float, mechanism: str, sensitivity: int = 1, note: str = ""
    ) -> PrivateRelease:
        spent = float(PrivateRelease.objects.select_for_update().aggregate(total=Sum("epsilon"))["total"] or 0)
        if self.budget is not None and spent + epsilon > self.budget * (1 + 1e-12):
            raise BudgetExceeded(f"{release_id} needs ε = {epsilon:g}; {self.budget - spent:g} of {self.budget:g} left")
        self.row = PrivateRelease.objects.create(
            release_id=release_id,
            dataset=DATASET,
            quarter=self.quarter,
            epsilon=epsilon,
            mechanism=mechanism,
            sensitivity=sensitivity,
            note=note,
            created_at=timezone.now(),
        )
        return self.row


def _cells() -> tuple[list[str], list[str]]:
    """The areas and main categories of the catalogue: the table's shape, independent of the data."""
    areas = list(
        Area.objects.filter(level=settings.STREETLIGHT["AREA_LEVEL"]).order_by("code").values_list("code", flat=True)
    )
    mains = list(Category.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True))
    return areas, mains


def exact_counts(quarter: str, areas: list[str], mains: list[str]) -> np.ndarray[Any, np.dtype[np.int64]]:
    since, until = quarter_bounds(quarter)
    arrays = report_arrays(Filters(since=since, until=until), by_received=True)
    table = np.zeros((len(areas), len(mains)), dtype=np.int64)
    area_index = {code: i for i, code in enumerate(areas)}
    main_index = {code: j for j, code in enumerate(mains)}
    rows = np.array([area_index.get(str(a), -1) for a in arrays.area], dtype=np.int64)
    cols = np.array([main_index.get(str(m), -1) for m in arrays.main], dtype=np.int64)
    inside = (rows >= 0) & (cols >= 0)
    np.add.at(table, (rows[inside], cols[inside]), 1)
    return table


def private_release_make(*, quarter: str) -> PrivateRelease | None:
    """The quarter's noisy table, made now if it is not yet; None when off, over budget or the quarter
    is not over."""
    if not enabled():
        return None
    existing = PrivateRelease.objects.filter(dataset=DATASET, quarter=quarter).first()
    if existing is not None:
        return existing
    budget = float(settings.STREETLIGHT["DP_BUDGET"]) or None
    ledger = DatabaseLedger(budget=budget, quarter=quarter)
    areas, mains = _cells()
    try:
        with transaction.atomic():
            released = dp_counts(
                exact_counts(quarter, areas, mains),
                epsilon=float(settings.STREETLIGHT["DP_EPSILON"]),
                ledger=ledger,
                release_id=f"{DATASET}/{quarter}",
                contributions=int(settings.STREETLIGHT["DP_CONTRIBUTIONS"]),
                note=f"{len(areas)} areas × {len(mains)} main categories",
            )
            assert ledger.row is not None
            ledger.row.areas, ledger.row.categories = areas, mains
            ledger.row.counts = released.counts.tolist()
            ledger.row.scale = released.scale
            ledger.row.save(update_fields=["areas", "categories", "counts", "scale"])
            return ledger.row
    except BudgetExceeded as exc:
        logger.warning("no private release: %s", exc)
        return None
    except IntegrityError:  # another process made it meanwhile
        return PrivateRelease.objects.filter(dataset=DATASET, quarter=quarter).first()


def private_releases_due() -> list[PrivateRelease]:
    """Run from the timer: the finished quarters' tables not made yet, oldest first — from the
    quarter the city started receiving reports (public knowledge), so no budget goes on empty years."""
    first = Report.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return []
    first = timezone.localtime(first)
    start = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    made = []
    for quarter in reversed(quarters_available()):
        if _order(quarter) < _order(start):
            continue
        if not PrivateRelease.objects.filter(dataset=DATASET, quarter=quarter).exists():
            release = private_release_make(quarter=quarter)
            if release is None:
                break
            made.append(release)
    return made


def _order(quarter: str) -> tuple[int, int]:
    year, q = quarter.split("-Q")
    return int(year), int(q)


def release_for(*, quarter: str) -> PrivateRelease | None:
    """The quarter's table, or None; a label that is no quarter never reaches the database (PostgreSQL
    refuses text with a NUL in it: found by the API fuzzer)."""
    if not QUARTER.fullmatch(quarter):
        return None
    return PrivateRelease.objects.filter(dataset=DATASET, quarter=quarter).exclude(counts=[]).first()


def geojson(release: PrivateRelease) -> dict[str, Any]:
    """One feature per area with its noisy counts by main category."""
    geometry = dict(Area.objects.filter(code__in=release.areas).values_list("code", "geometry"))
    names = dict(Area.objects.filter(code__in=release.areas).values_list("code", "name"))
    return {
        "type": "FeatureCollection",
        "metadata": {
            "dataset": release.dataset,
            "quarter": release.quarter,
            "counted_by": "date received",
            "privacy": "differential privacy",
            "epsilon": release.epsilon,
            "mechanism": release.mechanism,
            "scale": release.scale,
            "contributions_per_person": release.sensitivity,
            "licence": "CC-BY-4.0",
        },
        "features": [
            {
                "type": "Feature",
                "geometry": geometry.get(area),
                "properties": {
                    "area": area,
                    "name": names.get(area, area),
                    "counts": {c: int(release.counts[i][j]) for j, c in enumerate(release.categories)},
                },
            }
            for i, area in enumerate(release.areas)
        ],
    }


def private_release_rows(release: PrivateRelease) -> list[dict[str, Any]]:
    return [
        {"area": area, "category": category, "count": int(release.counts[i][j])}
        for i, area in enumerate(release.areas)
        for j, category in enumerate(release.categories)
    ]


def ledger() -> dict[str, Any]:
    """What the public page shows: every release and its ε, the total and the budget."""
    rows = list(PrivateRelease.objects.order_by("created_at", "pk"))
    budget = float(settings.STREETLIGHT["DP_BUDGET"]) or None
    return {"releases": rows, "spent": sum(r.epsilon for r in rows), "budget": budget, "enabled": enabled()}
