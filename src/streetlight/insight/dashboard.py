"""The analysts' layers and tables, computed with the toolkit on the arrays of `data`: counts per H3
cell, per area and per month. Staff see aggregates only; a cell with fewer than INTERNAL_MIN reports
shows no number, since at street level one report is almost a point."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import h3
import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from streetlight.feeds.selectors import PostFeelings, post_feelings
from streetlight.nightwalks.selectors import WalkFeelings, safety_walk_feelings
from streetlight.reports.models import Area, Category
from streetlight.toolkit.darknumber import RecordedCrimes, compare
from streetlight.toolkit.geo.aggregate import aggregate
from streetlight.toolkit.hotspots import (
    gi_star,
    gi_star_geojson,
    h3_neighbours,
    h3_polygon,
    kde_surface,
    scott_bandwidth_m,
    surface_h3_geojson,
)
from streetlight.toolkit.hotspots.kde import M_PER_DEG
from streetlight.toolkit.insecurity import insecurity_index, insecurity_value

from .data import Filters, ReportArrays
from .models import RecordedCrime

INTERNAL_MIN = 3
CELL_RESOLUTIONS = (7, 8, 9)
BANDWIDTH_RANGE_M = (50, 5000)  # the density layer's kernel: a street corner to a district
DENSITY_MIN_SHARE = 0.01  # density cells under 1 % of the highest are not drawn (nor downloaded)


def main_category_names() -> dict[str, str]:
    categories = Category.objects.filter(parent__isnull=True).prefetch_related("texts").order_by("order")
    return {c.code: c.name() for c in categories}


def cell_layer(arrays: ReportArrays, *, resolution: int) -> dict[str, Any]:
    """H3 hexagons with their report count and their most frequent main category."""
    placed = ~np.isnan(arrays.lat)
    features: list[dict[str, Any]] = []
    if placed.any():
        counts = aggregate(
            arrays.lat[placed],
            arrays.lon[placed],
            arrays.when[placed],
            categories=arrays.main[placed],
            by=("cell", "category"),
            resolution=resolution,
        )
        pivot = counts.pivot(rows=("cell",), cols=("category",))
        names = main_category_names()
        categories = [label for (label,) in pivot.col_labels()]
        for (cell,), row in zip(pivot.row_labels(), pivot.values, strict=True):
            total = int(row.sum())
            top = categories[int(np.argmax(row))]
            features.append(
                {
                    "type": "Feature",
                    "geometry": h3_polygon(str(cell)),
                    "properties": {
                        "cell": str(cell),
                        "count": total if total >= INTERNAL_MIN else None,
                        "top_category": names.get(top, top) if total >= INTERNAL_MIN else None,
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"resolution": resolution, "min_count": INTERNAL_MIN, "without_place": int((~placed).sum())},
    }


@dataclass(frozen=True)
class Trend:
    months: list[str]  # "2026-01", …
    series: dict[str, list[int]]  # main category name → count per month

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"month": month, **{name: counts[i] for name, counts in self.series.items()}}
            for i, month in enumerate(self.months)
        ]


def trend(arrays: ReportArrays, filters: Filters) -> Trend:
    """Reports per month and main category, over the filter's whole period (empty months are 0)."""
    first, last = np.datetime64(filters.since, "M"), np.datetime64(filters.until, "M")
    months = [str(m) for m in np.arange(first, last + np.timedelta64(1, "M"))]
    names = main_category_names()
    series: dict[str, list[int]] = {}
    if len(arrays):
        counts = aggregate(
            arrays.lat,
            arrays.lon,
            arrays.when,
            categories=arrays.main,
            by=("category", "window"),
            window="month",
            tz=settings.TIME_ZONE,
        )
        for row in counts.to_rows():
            name = names.get(row["category"], row["category"])
            series.setdefault(name, [0] * len(months))
            month = str(row["window"])[:7]
            if month in months:
                series[name][months.index(month)] += int(row["count"])
    ordered = dict(sorted(series.items(), key=lambda item: -sum(item[1])))
    return Trend(months=months, series=ordered)


def study_cells(resolution: int) -> list[str]:
    """Every H3 cell whose centre lies in the city: the study area, zero counts included (Gi*
    compares each neighbourhood with the whole city, so empty cells matter)."""
    cells: set[str] = set()
    for area in Area.objects.all():
        cells.update(h3.geo_to_cells(area.geometry, resolution))
    return sorted(cells)


def hotspot_layer(arrays: ReportArrays, *, resolution: int) -> dict[str, Any]:
    """Getis-Ord Gi* of report counts per cell over the city (neighbours: the ring around each
    cell), with Benjamini–Hochberg adjusted p-values; only significant hot and cold cells are drawn."""
    cells = study_cells(resolution)
    placed = ~np.isnan(arrays.lat)
    empty: dict[str, Any] = {"type": "FeatureCollection", "features": [], "properties": {"cells": len(cells)}}
    if len(cells) < 3 or not placed.any():
        return empty
    counts = aggregate(arrays.lat[placed], arrays.lon[placed], arrays.when[placed], by=("cell",), resolution=resolution)
    index = {cell: i for i, cell in enumerate(cells)}
    values = np.zeros(len(cells))
    for cell, count in zip(counts.column("cell").tolist(), counts.counts.tolist(), strict=True):
        if str(cell) in index:
            values[index[str(cell)]] = count
    if values.std() == 0:
        return empty
    result = gi_star(values, h3_neighbours(cells, k=1))
    layer = gi_star_geojson(cells, result, values)
    layer["features"] = [f for f in layer["features"] if f["properties"]["class"] != 0]
    layer["properties"] = {**layer["properties"], "cells": len(cells), "resolution": resolution}
    return layer


def density_layer(arrays: ReportArrays, *, resolution: int, bandwidth_m: float | None = None) -> dict[str, Any]:
    """Kernel density of the reports' positions (those the cell counts use), read at the centre of
    each H3 cell of the city: reports per km² and the share of the highest cell (0–1). The Gaussian
    kernel's bandwidth is `bandwidth_m`, or Scott's rule held within BANDWIDTH_RANGE_M; fewer than
    INTERNAL_MIN placed reports give no surface, only a note."""
    placed = ~np.isnan(arrays.lat) & ~np.isnan(arrays.lon)
    lat, lon = arrays.lat[placed], arrays.lon[placed]
    meta: dict[str, Any] = {
        "method": "kernel density (Gaussian)",
        "resolution": resolution,
        "reports": int(lat.size),
        "unit": "reports per km²",
        "bandwidth_m": None,
        "bandwidth_rule": "scott" if bandwidth_m is None else "chosen",
        "min_share": DENSITY_MIN_SHARE,
    }
    if lat.size < INTERNAL_MIN:
        note = _("Fewer than %(k)d reports with a place: too few for a density surface.") % {"k": INTERNAL_MIN}
        return {"type": "FeatureCollection", "features": [], "properties": {**meta, "note": note}}
    low, high = BANDWIDTH_RANGE_M
    if bandwidth_m is None:
        scott = scott_bandwidth_m(lat, lon)  # 0 when every report is at the same place
        bandwidth_m = min(max(scott, low), high) if math.isfinite(scott) else low
    # grid squares a quarter of the bandwidth (the binned estimate's error stays small), at most
    # about 1000 × 1000 of them however spread the reports are
    span_m = max(np.ptp(lat), np.ptp(lon) * math.cos(math.radians(float(lat.mean())))) * M_PER_DEG
    cell_m = max(bandwidth_m / 4, (span_m + 8 * bandwidth_m) / 1000, 10.0)
    surface = kde_surface(lat, lon, bandwidth_m=bandwidth_m, cell_m=cell_m)
    layer = surface_h3_geojson(surface, resolution)
    city = set(study_cells(resolution))
    features = [f for f in layer["features"] if not city or f["id"] in city]
    peak = max((f["properties"]["density_per_km2"] for f in features), default=0.0)
    shown = []
    for feature in features:
        share = feature["properties"]["density_per_km2"] / peak if peak > 0 else 0.0
        if share >= DENSITY_MIN_SHARE:
            feature["properties"]["share"] = round(share, 4)
            shown.append(feature)
    meta.update(bandwidth_m=round(float(surface.bandwidth_m), 1), max_density=peak, cell_m=round(cell_m, 1))
    if bandwidth_m < h3.average_hexagon_edge_length(resolution, "m"):
        meta["note"] = _(
            "The bandwidth is narrower than the cells: each cell shows the density at its centre, so a tight"
            " cluster between centres may be missed. Choose smaller cells or a wider bandwidth."
        )
    return {"type": "FeatureCollection", "features": shown, "properties": meta}


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    reports: int
    feelings: int
    mean_safety: float | None
    not_told_police: float | None  # share of crime reports whose reporter did not inform the police
    insecurity: float | None = None  # 0–100, shrunk toward the city mean; None under the minimum inputs
    insecurity_low: float | None = None
    insecurity_high: float | None = None
    walk_points: int = 0  # safety-walk audit points, the index's other input


def area_rows(arrays: ReportArrays, filters: Filters | None = None) -> list[AreaRow]:
    """Per area: reports, "I feel unsafe here" inputs and their mean score, and how many crime
    reports the police never heard of (the reporter chose not to tell them). With `filters`, the
    safety-walk audit points of the same period (and time of day) feed the insecurity index too."""
    names = dict(Area.objects.values_list("code", "name"))
    walks = safety_walk_feelings(start=filters.start, end=filters.end, day_night=filters.day_night) if filters else None
    posts = post_feelings(start=filters.start, end=filters.end, day_night=filters.day_night) if filters else None
    index = _insecurity_by_area(arrays, walks, posts)
    rows = []
    for code in sorted(names):
        here = arrays.area == code
        crimes = here & (arrays.kind == "crime")
        scores = arrays.safety[here & ~np.isnan(arrays.safety)]
        enough_crimes = crimes.sum() >= INTERNAL_MIN
        rows.append(
            AreaRow(
                code=code,
                name=names[code],
                reports=int(here.sum()),
                feelings=int(scores.size),
                mean_safety=round(float(scores.mean()), 2) if scores.size >= INTERNAL_MIN else None,
                not_told_police=round(float((~arrays.police[crimes]).mean()), 3) if enough_crimes else None,
                walk_points=int((walks.area == code).sum()) if walks is not None else 0,
                **index.get(code, {}),
            )
        )
    return rows


def _insecurity_by_area(
    arrays: ReportArrays, walks: WalkFeelings | None = None, posts: PostFeelings | None = None
) -> dict[str, dict[str, float | None]]:
    """The perceived-insecurity index per area from the feeling scores and, as the toolkit's
    "safety_walk" source, the feeling of each safety-walk audit point (SafetiPin's 0–3 put on the
    1–5 scale: nightwalks.parameters.feeling_to_safety_score) — see docs/methods.md; and, as its
    "post" source, relevant public posts placed in an area (their insecurity 0–1 as a probability)."""
    scored = ~np.isnan(arrays.safety) & (arrays.area != "")
    scores, units = [arrays.safety[scored]], [arrays.area[scored]]
    sources = [np.full(int(scored.sum()), "feeling", dtype=object)]
    if walks is not None and len(walks):
        scores.append(walks.score)
        units.append(walks.area)
        sources.append(np.full(len(walks), "safety_walk", dtype=object))
    values = [insecurity_value(score=np.concatenate(scores))]
    if posts is not None and len(posts):
        values.append(insecurity_value(probability=posts.insecurity))
        units.append(posts.area)
        sources.append(np.full(len(posts), "post", dtype=object))
    if not sum(v.size for v in values):
        return {}
    result = insecurity_index(np.concatenate(values), np.concatenate(sources), np.concatenate(units))
    out: dict[str, dict[str, float | None]] = {}
    for row in result.to_rows():
        out[str(row["unit"])] = {
            "insecurity": row["index"],
            "insecurity_low": row["low"],
            "insecurity_high": row["high"],
        }
    return out


@dataclass(frozen=True)
class DarkNumberView:
    months: list[str]  # the months both sources cover
    ranking: list[Any]  # toolkit UnderReported, most under-reported first
    left_out: dict[str, int]
    # per crime type: reports the police formally recorded through the complaint hand-over
    handed_over: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[Any, int]]:
        """(ranking entry, reports formally recorded through the hand-over) for the table."""
        return [(u, self.handed_over.get(u.group, 0)) for u in self.ranking]


def recorded_crimes(filters: Filters) -> RecordedCrimes:
    rows = list(
        RecordedCrime.objects.filter(month__gte=filters.since.replace(day=1), month__lte=filters.until).values_list(
            "month", "area_code", "crime_type", "count"
        )
    )
    n = len(rows)
    return RecordedCrimes(
        month=np.array([r[0] for r in rows], dtype="datetime64[M]").reshape(n),
        crime_type=np.array([r[2] for r in rows], dtype=object).reshape(n),
        area=np.array([r[1] for r in rows], dtype=object).reshape(n),
        lat=np.full(n, np.nan),
        lon=np.full(n, np.nan),
        count=np.array([r[3] for r in rows], dtype=np.int64).reshape(n),
        line=np.zeros(n, dtype=np.int64),
        outcome=np.full(n, None, dtype=object),
    )


def dark_number(arrays: ReportArrays, filters: Filters) -> DarkNumberView | None:
    """Residents' reports beside imported police statistics, pooled over the city and the months
    both cover; None when no police statistics were imported for the period."""
    recorded = recorded_crimes(filters)
    if not len(recorded):
        return None
    # A report the police formally recorded (a police reference from the complaint hand-over) was
    # told to the police, whatever the consent flags say now.
    told = arrays.police | arrays.handed_over
    result = compare(
        categories=arrays.leaf,
        shared_with_police=told,
        months=arrays.when.astype("datetime64[M]"),
        recorded=recorded,
        areas=arrays.area,
        by=("group",),
    )
    formal = arrays.where(arrays.handed_over)
    handed_over: dict[str, int] = {}
    if len(formal):  # the same mapping and months as the table, so the counts sit in its rows
        counted = compare(
            categories=formal.leaf,
            shared_with_police=formal.handed_over,
            months=formal.when.astype("datetime64[M]"),
            recorded=recorded,
            areas=formal.area,
            by=("group",),
        )
        handed_over = {u.group: u.reports for u in counted.ranking() if u.reports}
    months = sorted({str(m) for m in recorded.month.tolist()})
    return DarkNumberView(
        months=[m[:7] for m in months], ranking=result.ranking(), left_out=result.left_out, handed_over=handed_over
    )


def area_layer(arrays: ReportArrays, filters: Filters) -> dict[str, Any]:
    """The city's areas with their reports, perceived-insecurity index (and its number of inputs)
    and police-recorded crimes of the period, for the map's area layers."""
    rows = {row.code: row for row in area_rows(arrays, filters)}
    recorded = recorded_crimes(filters)
    police: dict[str, int] = {}
    for area, count in zip(recorded.area.tolist(), recorded.count.tolist(), strict=True):
        police[str(area)] = police.get(str(area), 0) + int(count)
    features = []
    for area in Area.objects.order_by("code"):
        row = rows.get(area.code)
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {
                    "area": area.code,
                    "name": area.name,
                    "reports": row.reports if row else 0,
                    "insecurity": row.insecurity if row else None,
                    "inputs": row.feelings + row.walk_points if row else 0,
                    "recorded": police.get(area.code) if recorded.count.size else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def category_counts(arrays: ReportArrays) -> dict[str, int]:
    """Reports per main category, most frequent first."""
    names = main_category_names()
    if not len(arrays):
        return {}
    codes, counts = np.unique(arrays.main.astype(str), return_counts=True)
    pairs = sorted(
        ((names.get(str(c), str(c)), int(n)) for c, n in zip(codes, counts, strict=True)), key=lambda p: -p[1]
    )
    return dict(pairs)
