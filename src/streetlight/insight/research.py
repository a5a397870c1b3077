"""The research data package: open data's counts, cut three ways, as a Frictionless Data Package.

Aggregate tables only — never a report, its words or its place — each protected exactly like
open data (open_data.py): the reports whose authors allowed statistics, **by the date Streetlight
received them** (a finished period never changes afterwards), per area — the city's districts: a
report placed in a neighbourhood counts in its district, so sensitive categories are only ever
shown per district — and every table suppressed with its margins by `suppress_aggregate` (no count
from 1 to k−1, and enough others hidden that none can be worked out from the totals).

1. `reports-by-area-month-category`: area × month (rows) by main category (columns).
2. `reports-by-area-month-daynight-kind`: area × month by day/night × kind. Day and night are those
   of the event's own time and place (civil twilight), so reports without a point are left out.
3. `crime-not-told-police-by-area-quarter`: per area × quarter, crime reports and how many of their
   authors chose not to tell the police; the share only where both counts are published.

Each table is safe on its own; the datasheet says what that does not cover.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.reports.models import Area, Report
from streetlight.toolkit.geo.aggregate import aggregate, night_mask
from streetlight.toolkit.privacy import suppress_aggregate

from .data import MAX_DAYS, BadFilter, Filters, report_arrays
from .open_data import TOTAL, quarter_bounds
from .selectors import min_count

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
MISSING = [""]  # a hidden count is an empty cell
MONTH_PATTERN = r"^(\d{4}-(0[1-9]|1[0-2])|total)$"
QUARTER_PATTERN = r"^(\d{4}-Q[1-4]|total)$"


class NoData(BadFilter):
    """The window holds no report that may be counted."""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: list[dict[str, Any]]
    primary_key: list[str]
    rows: list[dict[str, Any]]
    hidden: int  # hidden cells, margins included

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


@dataclass(frozen=True)
class ResearchPackage:
    since: date
    until: date
    k: int
    generated: datetime
    reports: int  # reports counted (allowed statistics, received in the window, with an area)
    synthetic: int  # of which generated demo reports
    tables: list[Table] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"streetlight-research-{self.since:%Y%m%d}-{self.until:%Y%m%d}"


def check_window(since: date, until: date) -> None:
    """BadFilter naming `from` when the window is backwards, too long or not yet over."""
    if since > until:
        raise BadFilter({"from": _("The start must be before the end.")})
    if (until - since).days > MAX_DAYS:
        raise BadFilter({"from": _("Choose at most three years at a time.")})
    if until >= timezone.localdate():
        raise BadFilter({"to": _("Only periods that are over are published.")})


def _districts() -> dict[str, str]:
    """Each area's district: itself for a district, else its nearest ancestor that is one."""
    rows = {code: (level, parent) for code, level, parent in Area.objects.values_list("code", "level", "parent__code")}

    def district(code: str) -> str:
        seen: set[str] = set()
        while code in rows and rows[code][0] != "district" and rows[code][1] and code not in seen:
            seen.add(code)
            code = str(rows[code][1])
        return code

    return {code: district(code) for code in rows}


def _label(value: Any, dim: str) -> Any:
    if value == TOTAL or not isinstance(value, (date, np.datetime64)):
        return value
    day = value if isinstance(value, date) else value.astype("datetime64[D]").item()
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if dim == "quarter" else f"{day:%Y-%m}"


def _string(name: str, description: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": "string", "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def _count(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "type": "integer", "description": description, "constraints": {"minimum": 0}}


def _area_field(codes: Sequence[str]) -> dict[str, Any]:
    return _string(
        "area", "District code (see the city's areas), or 'total' for the sum over areas.", enum=[*codes, TOTAL]
    )


def _month_field(name: str = "month") -> dict[str, Any]:
    return _string(
        name, "Month Streetlight received the reports (YYYY-MM, city time), or 'total'.", pattern=MONTH_PATTERN
    )


def _long_table(
    name: str,
    title: str,
    description: str,
    rows: list[dict[str, Any]],
    fields: list[dict[str, Any]],
    hidden: int,
) -> Table:
    keys = [f["name"] for f in fields]
    out = [{**{k: r[k] for k in keys}, "count": r["count"]} for r in rows]
    count = _count("count", "Reports; empty when hidden (under k, or hidden so that no hidden count can be derived).")
    return Table(name, title, description, [*fields, count], keys, out, hidden)


def research_package(*, since: date, until: date) -> ResearchPackage:
    """The three suppressed tables for [since, until] (inclusive, by date received).

    BadFilter naming the field for a bad window; NoData when no report of it may be counted.
    """
    check_window(since, until)
    k = min_count()
    arrays = report_arrays(Filters(since=since, until=until), by_received=True)
    districts = _districts()
    placed = arrays.area != ""
    arrays = arrays.where(placed)
    if not len(arrays):
        raise NoData({"from": _("No report may be counted between these dates.")})
    area = np.array([districts.get(a, a) for a in arrays.area.tolist()], dtype=object)
    codes = sorted({*districts.values()})
    tz = settings.TIME_ZONE

    # 1. area × month × main category
    agg1 = aggregate(
        arrays.lat, arrays.lon, arrays.when, categories=arrays.main, areas=area, by=("area", "window", "category"),
        window="month", tz=tz,
    )  # fmt: skip
    rel1 = suppress_aggregate(agg1, rows=("area", "window"), cols=("category",), k=k)
    rows1 = [{**r, "month": _label(r.pop("window"), "month")} for r in rel1.to_rows()]
    t1 = _long_table(
        "reports-by-area-month-category",
        "Reports per area, month and main category",
        "Reports whose authors allowed statistics, per district, month received and main category, sensitive "
        "categories included (per district only). Rows with 'total' are the sums over that dimension.",
        rows1,
        [_area_field(codes), _month_field(), _string("category", "Main category code, or 'total'.")],
        int(rel1.table.suppressed.sum()),
    )

    # 2. area × month × day/night × kind, day and night at the event's own time and place
    lat, lon, received, night, kinds, area2 = _event_nights(since, until, districts)
    agg2 = aggregate(
        lat, lon, received, kinds=kinds, areas=area2, night=night, by=("area", "window", "day_night", "kind"),
        window="month", tz=tz,
    )  # fmt: skip
    rows2: list[dict[str, Any]] = []
    hidden2 = 0
    if len(agg2.counts):
        rel2 = suppress_aggregate(agg2, rows=("area", "window"), cols=("day_night", "kind"), k=k)
        rows2 = [{**r, "month": _label(r.pop("window"), "month")} for r in rel2.to_rows()]
        hidden2 = int(rel2.table.suppressed.sum())
    t2 = _long_table(
        "reports-by-area-month-daynight-kind",
        "Reports per area, month, day or night, and kind",
        "Reports with a point, per district, month received, day or night of the event (civil twilight at its "
        "place and time) and kind (crime, incident, feeling of insecurity, cyber).",
        rows2,
        [
            _area_field(codes),
            _month_field(),
            _string(
                "day_night", "'day' or 'night' at the event's time and place, or 'total'.", enum=["day", "night", TOTAL]
            ),
            _string("kind", "Kind of report (crime, incident, feeling, cyber), or 'total'."),
        ],
        hidden2,
    )

    # 3. crime reports not told to the police, per area × quarter
    crime = arrays.kind == "crime"
    told = np.where(arrays.police[crime], "told", "not_told").astype(object)
    rows3: list[dict[str, Any]] = []
    hidden3 = 0
    if crime.any():
        agg3 = aggregate(
            arrays.lat[crime], arrays.lon[crime], arrays.when[crime], categories=told, areas=area[crime],
            by=("area", "window", "category"), window="quarter", tz=tz,
        )  # fmt: skip
        rel3 = suppress_aggregate(agg3, rows=("area", "window"), cols=("category",), k=k)
        hidden3 = int(rel3.table.suppressed.sum())
        rows3 = _share_rows(rel3.to_rows())
    t3 = Table(
        "crime-not-told-police-by-area-quarter",
        "Crime reports whose authors chose not to tell the police, per area and quarter",
        "A sign of under-reporting to the police, not its size: only people who used Streetlight are counted.",
        [
            _area_field(codes),
            _string("quarter", "Quarter received (YYYY-Qn), or 'total'.", pattern=QUARTER_PATTERN),
            _count("crime_reports", "Crime reports; empty when hidden."),
            _count("told_police", "Of which the author chose to tell the police; empty when hidden."),
            _count("not_told_police", "Of which the author chose not to tell the police; empty when hidden."),
            {
                "name": "share_not_told",
                "type": "number",
                "description": "not_told_police / crime_reports, 3 decimals; empty unless both are published.",
                "constraints": {"minimum": 0, "maximum": 1},
            },
        ],
        ["area", "quarter"],
        rows3,
        hidden3,
    )
    synthetic = Report.objects.filter(
        public_statistics=True, area__isnull=False, source="demo",
        created_at__gte=Filters(since=since, until=until).start, created_at__lt=Filters(since=since, until=until).end,
    ).count()  # fmt: skip
    return ResearchPackage(since, until, k, timezone.now(), len(arrays), synthetic, [t1, t2, t3])


def _event_nights(since: date, until: date, districts: dict[str, str]) -> Any:
    """Table 2's reports (same selection as open data, with a point): received time, night flag of
    the event's own time and place, kind and district."""
    window = Filters(since=since, until=until)
    rows = list(
        Report.objects.filter(
            public_statistics=True, created_at__gte=window.start, created_at__lt=window.end,
            area__isnull=False, lat__isnull=False, lon__isnull=False,
        ).values_list("lat", "lon", "created_at", "occurred_from", "kind", "area__code")
    )  # fmt: skip
    n = len(rows)
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(6)]

    def utc(values: Any) -> np.ndarray:
        return np.array([v.astimezone(UTC).replace(tzinfo=None) for v in values], dtype="datetime64[s]").reshape(n)

    lat = np.array(cols[0], dtype=float).reshape(n)
    lon = np.array(cols[1], dtype=float).reshape(n)
    night = night_mask(utc(cols[3]), lat, lon)
    kinds = np.array(cols[4], dtype=object).reshape(n)
    area = np.array([districts.get(a, a) for a in cols[5]], dtype=object).reshape(n)
    return lat, lon, utc(cols[2]), night, kinds, area


def _share_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Long rows (area, window, category=told/not_told/total, count) → one row per area × quarter."""
    wide: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (str(r["area"]), str(_label(r["window"], "quarter")))
        row = wide.setdefault(key, {"area": key[0], "quarter": key[1]})
        column = {"told": "told_police", "not_told": "not_told_police", TOTAL: "crime_reports"}[r["category"]]
        row[column] = r["count"]
    out = []
    for row in wide.values():
        row.setdefault("told_police", 0)
        row.setdefault("not_told_police", 0)
        total, not_told = row["crime_reports"], row["not_told_police"]
        row["share_not_told"] = round(not_told / total, 3) if total and not_told is not None else None
        out.append(row)
    return out


def _version() -> str:
    try:
        return metadata.version("streetlight")
    except metadata.PackageNotFoundError:
        return "unknown"


def descriptor(package: ResearchPackage) -> dict[str, Any]:
    """The `datapackage.json` document (Frictionless Data Package, tabular profile)."""
    return {
        "profile": "tabular-data-package",
        "name": package.name,
        "title": f"Streetlight resident reports, {package.since:%Y-%m-%d} to {package.until:%Y-%m-%d} (aggregated)",
        "description": (
            "Counts of the reports residents sent to Streetlight whose authors allowed statistics, by the date they "
            f"were received. No count from 1 to {package.k - 1} is published, nor any count from which a hidden one "
            "could be worked out; hidden counts are empty. See datasheet.md."
        ),
        "version": "1.0.0",
        "created": package.generated.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "sources": [
            {
                "title": "Streetlight resident reports (counted with the authors' consent to statistics)",
                "description": (
                    f"Generated by Streetlight {_version()} (`streetlight export research`) on "
                    f"{package.generated.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}; received {package.since:%Y-%m-%d} to "
                    f"{package.until:%Y-%m-%d} inclusive ({settings.TIME_ZONE}); k = {package.k}."
                ),
            }
        ],
        "streetlight": {
            "generator": f"streetlight {_version()}",
            "from": package.since.isoformat(),
            "to": package.until.isoformat(),
            "counted_by": "date received",
            "time_zone": settings.TIME_ZONE,
            "min_count": package.k,
            "reports_counted": package.reports,
            "synthetic_reports": package.synthetic,
            "hidden_counts": {t.name: t.hidden for t in package.tables},
        },
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": t.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": t.fields, "primaryKey": t.primary_key, "missingValues": MISSING},
            }
            for t in package.tables
        ],
    }


def _csv_text(table: Table) -> str:
    out = io.StringIO()
    names = [f["name"] for f in table.fields]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({n: "" if row.get(n) is None else row[n] for n in names})
    return out.getvalue()


def datasheet(package: ResearchPackage) -> str:
    """datasheet.md, after Gebru et al., "Datasheets for Datasets" (2021)."""
    k = package.k
    synthetic = (
        f"**{package.synthetic} of the {package.reports} reports counted are synthetic**: generated for the demo "
        "city, they describe no real event and must not be used as evidence of anything."
        if package.synthetic
        else "No generated demo report is counted: every report was sent through Streetlight."
    )
    tables = "\n".join(
        f"- `{t.path}` — {t.title} ({len(t.rows)} rows, {t.hidden} hidden counts)." for t in package.tables
    )
    return f"""# Datasheet: {package.name}

Made by Streetlight {_version()} on {package.generated.astimezone(UTC):%Y-%m-%d %H:%M} UTC for reports received
from {package.since:%Y-%m-%d} to {package.until:%Y-%m-%d} inclusive ({settings.TIME_ZONE}). Licence: Creative
Commons Attribution 4.0 (CC-BY-4.0). Structure: `datapackage.json` (Frictionless Data Package).

## Motivation

Streetlight is a civic platform where residents report crime, incidents and places where they feel unsafe,
and choose which services hear about it. This package lets researchers study what residents report, where
and when, without access to any report: it holds counts only.

## Composition

{tables}

Each row is a count of reports for a combination of district, month (or quarter) and category, kind or day/night;
rows labelled `total` are sums over that dimension, so readers can check the sums. {package.reports} reports are
counted. {synthetic}

Not included, ever: a report's text, photos, exact time or place, contact details, or anything that identifies
a reporter. The unit is a report, not a person: one person may send several.

## Collection process

Residents report on the web form, the JSON API or Open311 clients. They choose a category (main category and
sub-category), the kind, when it happened and, optionally, a point or an area. Each report carries its author's
choice "may be counted in public statistics": **only reports with that consent are counted here.** Reports are
counted by the date Streetlight received them (city time), merged duplicates counted as received, so a finished
period's figures never change.

## Preprocessing: suppression and privacy rules

- Areas are the city's districts; a report placed in a neighbourhood counts in its district. Sensitive
  categories (hate, harassment, domestic or sexual violence) are therefore published per district only.
- Day and night follow civil twilight (the sun more than 6° below the horizon) at the event's own place and
  time; reports without a point have no day or night and are left out of that table only.
- Every table is suppressed with its row, column and grand totals: no count from 1 to {k - 1} (k =
  {k}) is published, and enough further counts are hidden (complementary suppression) that no hidden count can
  be worked out from the published ones and the totals. Hidden counts are empty cells (`missingValues: [""]`);
  a zero is published as 0. Why a count is hidden is not said: it would tell which ones are small.
- The share of crime reports not told to the police is given only where both of its counts are published.

## Uses and misuses

Suitable for: comparing districts and months, seasonality, day/night patterns, what residents choose to tell
the police, evaluating the platform. Not suitable for: measuring crime (reports are not crimes), ranking
neighbourhoods as "dangerous", or any attempt to identify people — re-identification is forbidden.

Each table is protected on its own. Combining tables of this package, or packages for overlapping periods, may
narrow a hidden count: do not publish overlapping periods, and do not try.

## Gaps and biases

- **Who reports and who does not**: people who know Streetlight, have a phone or computer, read one of its
  languages and trust the city report more; people afraid of the police, of being seen or of retaliation, and
  many victims of sensitive crimes, report less. Campaigns and striking events raise counts without any change
  in crime.
- **Consent to statistics**: reports whose authors opted out are absent, and opting out may be more common for
  some categories or groups.
- **Sensitive categories generalised**: shown per district only and often hidden, so they look rarer and flatter
  than they are.
- Suppression hides small counts: small districts, rare categories and quiet months are under-represented.
- {synthetic}

## Distribution

From the city's open-data page (`/open-data/`, one package per finished quarter) or made by an analyst with
`streetlight export research --from YYYY-MM-DD --to YYYY-MM-DD --out DIR`. CC-BY-4.0: credit "Streetlight,
{settings.STREETLIGHT.get("CITY_NAME", "the city")}".

## Maintenance

A package is never changed after it is made. A later package for the same period counts no report received
after the period, but may count fewer: reports erased at their authors' request or by the retention rules are
no longer counted. Questions and errors: the city's Streetlight team.
"""


def write_package(package: ResearchPackage, directory: Path | str) -> list[Path]:
    """Write datapackage.json, the CSVs (under data/) and datasheet.md; returns the files written."""
    root = Path(directory)
    (root / "data").mkdir(parents=True, exist_ok=True)
    written = []
    for table in package.tables:
        path = root / table.path
        path.write_text(_csv_text(table), encoding="utf-8")
        written.append(path)
    sheet = root / "datasheet.md"
    sheet.write_text(datasheet(package), encoding="utf-8")
    meta = root / "datapackage.json"
    meta.write_text(json.dumps(descriptor(package), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [meta, *written, sheet]


def package_zip(package: ResearchPackage) -> bytes:
    """The same files as one zip (the package's name as its folder), for download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        prefix = package.name
        archive.writestr(f"{prefix}/datapackage.json", json.dumps(descriptor(package), indent=2, ensure_ascii=False))
        for table in package.tables:
            archive.writestr(f"{prefix}/{table.path}", _csv_text(table))
        archive.writestr(f"{prefix}/datasheet.md", datasheet(package))
    return buffer.getvalue()


def zip_directory(directory: Path | str, target: Path | str) -> Path:
    """Zip a written package directory (for `--zip`)."""
    root, out = Path(directory), Path(target)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            archive.write(path, f"{root.name}/{path.relative_to(root)}")
    return out


def quarter_window(raw_from: str, raw_to: str) -> tuple[date, date]:
    """The public download's window: exactly one finished quarter, from its first to its last day.

    BadFilter naming `from` or `to`. One granularity, never overlapping: as open data, so that two
    downloads can never be differenced to reveal a hidden count.
    """
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        try:
            days[name] = date.fromisoformat((raw or "").strip())
        except ValueError:
            errors[name] = _("Use a date like 2026-04-01.")
    if errors:
        raise BadFilter(errors)
    since, until = days["from"], days["to"]
    if since > until:
        raise BadFilter({"from": _("The start must be before the end.")})
    label = f"{since.year}-Q{(since.month - 1) // 3 + 1}"
    try:
        bounds = quarter_bounds(label)
    except BadFilter:
        raise BadFilter({"to": _("Only quarters that are over are published.")}) from None
    if since != bounds[0]:
        raise BadFilter({"from": _("Start on the first day of a quarter.")})
    if until != bounds[1]:
        raise BadFilter({"to": _("End on the last day of the same quarter.")})
    return since, until
