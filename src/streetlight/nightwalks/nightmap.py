"""The public night safety map: audit points per H3 cell, at night or by day, with the mean of each
parameter — and nothing where too few audits were sent to publish.

Counted are audits (people), not points: one walker rating ten spots in a street is still one
person. The table cells × {night, day} of audit counts goes through the toolkit's small-cell
suppression with its complementary cells, so no hidden count can be derived from the toggle's two
views; a hidden cell is drawn without any value. Only the cell's hexagon is ever published: never a
point, a comment or a photo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from streetlight.toolkit.geo import h3_cells, h3_polygon
from streetlight.toolkit.privacy import suppress

from .models import AuditPoint
from .parameters import CODES

PERIODS = ("night", "day")


def min_audits() -> int:
    """The smallest number of audits a cell needs to show values: SAFETY_WALK_MIN_AUDITS if the
    city set one, else the public pages' k (PUBLIC_MIN_COUNT)."""
    conf = settings.STREETLIGHT
    return int(conf.get("SAFETY_WALK_MIN_AUDITS", conf["PUBLIC_MIN_COUNT"]))


def resolution() -> int:
    return int(settings.STREETLIGHT["PUBLIC_BLUR_RESOLUTION"])


@dataclass(frozen=True)
class CellRow:
    cell: str
    audits: int | None  # None: hidden
    means: dict[str, float | None]


def night_safety_cells(*, period: str = "night") -> list[CellRow]:
    """One row per cell with at least one audit in `period` ("night" or "day")."""
    if period not in PERIODS:
        raise ValueError("period must be night or day")
    rows = list(AuditPoint.objects.values_list("audit_id", "audit__is_night", "lat", "lon", *CODES))
    if not rows:
        return []
    k, res = min_audits(), resolution()
    audit_ids = np.array([r[0] for r in rows], dtype=np.int64)
    night = np.array([bool(r[1]) for r in rows])
    cells = h3_cells(np.array([r[2] for r in rows], dtype=float), np.array([r[3] for r in rows], dtype=float), res)
    ratings = np.array([[np.nan if v is None else float(v) for v in r[4:]] for r in rows], dtype=float)
    labels = sorted({str(c) for c in cells.tolist()})
    index = {c: i for i, c in enumerate(labels)}
    row_of = np.array([index[str(c)] for c in cells.tolist()], dtype=np.int64)
    col_of = np.where(night, 0, 1)
    table = np.zeros((len(labels), len(PERIODS)), dtype=np.int64)
    for i, j, _audit in {(int(i), int(j), int(a)) for i, j, a in zip(row_of, col_of, audit_ids, strict=True)}:
        table[i, j] += 1  # each audit once per cell and period
    hidden = suppress(table, k=k).suppressed[:-1, :-1]  # without the margins, which are not shown
    column = PERIODS.index(period)
    out: list[CellRow] = []
    for i, cell in enumerate(labels):
        count = int(table[i, column])
        if count == 0:
            continue
        shown = not hidden[i, column]
        here = ratings[(row_of == i) & (col_of == column)]
        means: dict[str, float | None] = {}
        for n, code in enumerate(CODES):
            values = here[:, n][~np.isnan(here[:, n])]
            means[code] = round(float(values.mean()), 2) if shown and values.size else None
        out.append(CellRow(cell=cell, audits=count if shown else None, means=means))
    return out


def night_safety_geojson(*, period: str = "night") -> dict[str, Any]:
    rows = night_safety_cells(period=period)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": h3_polygon(row.cell),
                "properties": {"cell": row.cell, "audits": row.audits, **row.means},
            }
            for row in rows
        ],
        "properties": {"period": period, "resolution": resolution(), "min_audits": min_audits()},
    }
