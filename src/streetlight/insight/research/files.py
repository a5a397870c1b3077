"""The package as files: `datapackage.json` (Frictionless Data Package, tabular profile), one CSV
per table under data/, and datasheet.md — written to a directory or into one zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings

from .datasheet import datasheet
from .package import ResearchPackage, Table, version
from .tables import BY_CATEGORY, BY_DAY_NIGHT, NOT_TOLD, TOTAL

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
MISSING = [""]  # a hidden count is an empty cell
QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"
MONTH_PATTERN = r"^(\d{4}-(0[1-9]|1[0-2])|total)$"
HIDDEN = (
    "empty when hidden (under k, or hidden so that no hidden count can be worked out, in this package or "
    "with the open data)"
)

TITLES = {
    BY_CATEGORY: (
        "Reports per area, month and main category",
        "Reports whose authors allowed statistics, per quarter, district, month received and main category, "
        "sensitive categories included (per district only). Rows with 'total' are sums over that dimension "
        "within the quarter.",
    ),
    BY_DAY_NIGHT: (
        "Reports per area, month, day or night, and kind",
        "Reports with a point, per quarter, district, month received, day or night of the event (civil twilight "
        "at its place and time) and kind (crime, incident, feeling of insecurity, cyber).",
    ),
    NOT_TOLD: (
        "Crime reports whose authors chose not to tell the police, per area and quarter",
        "A sign of under-reporting to the police, not its size: only people who used Streetlight are counted.",
    ),
}


def _string(name: str, description: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": "string", "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def _count(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "type": "integer", "description": description, "constraints": {"minimum": 0}}


def fields(
    table: Table, districts: Sequence[str], categories: Sequence[str], kinds: Sequence[str]
) -> list[dict[str, Any]]:
    quarter = _string("quarter", "Quarter received (YYYY-Qn, city time).", required=True, pattern=QUARTER_PATTERN)
    area = _string(
        "area", "District code (see the city's areas), or 'total' for the whole city.", required=True,
        enum=[*districts, TOTAL],
    )  # fmt: skip
    month = _string(
        "month", "Month Streetlight received the reports (YYYY-MM, city time), or 'total' for the quarter.",
        required=True, pattern=MONTH_PATTERN,
    )  # fmt: skip
    if table.name == BY_CATEGORY:
        category = _string("category", "Main category code, or 'total'.", required=True, enum=[*categories, TOTAL])
        return [quarter, area, month, category, _count("count", f"Reports; {HIDDEN}.")]
    if table.name == BY_DAY_NIGHT:
        day_night = _string(
            "day_night", "'day' or 'night' at the event's time and place, or 'total'.", required=True,
            enum=["day", "night", TOTAL],
        )  # fmt: skip
        kind = _string("kind", "Kind of report, or 'total'.", required=True, enum=[*kinds, TOTAL])
        return [quarter, area, month, day_night, kind, _count("count", f"Reports with a point; {HIDDEN}.")]
    return [
        quarter,
        area,
        _count("crime_reports", f"Crime reports; {HIDDEN}."),
        _count("told_police", f"Of which the author chose to tell the police; {HIDDEN}."),
        _count("not_told_police", f"Of which the author chose not to tell the police; {HIDDEN}."),
        {
            "name": "share_not_told",
            "type": "number",
            "description": "not_told_police / crime_reports, 3 decimals; empty unless both are published.",
            "constraints": {"minimum": 0, "maximum": 1},
        },
    ]


def primary_key(table: Table) -> list[str]:
    return {
        BY_CATEGORY: ["quarter", "area", "month", "category"],
        BY_DAY_NIGHT: ["quarter", "area", "month", "day_night", "kind"],
        NOT_TOLD: ["quarter", "area"],
    }[table.name]


def _values(package: ResearchPackage, dim: str, table: str) -> list[str]:
    return sorted({str(r[dim]) for r in package.table(table).rows} - {TOTAL})


def descriptor(package: ResearchPackage) -> dict[str, Any]:
    """The `datapackage.json` document."""
    categories, kinds = _values(package, "category", BY_CATEGORY), _values(package, "kind", BY_DAY_NIGHT)
    audit = package.audit
    return {
        "profile": "tabular-data-package",
        "name": package.name,
        "title": f"Streetlight resident reports, {package.since:%Y-%m-%d} to {package.until:%Y-%m-%d} (aggregated)",
        "description": (
            "Counts of the reports residents sent to Streetlight whose authors allowed statistics, by the date they "
            f"were received. No count from 1 to {package.k - 1} is published, nor any count from which a hidden one "
            "could be worked out — from this package alone or together with the open data of the same quarters; "
            "hidden counts are empty. See datasheet.md."
        ),
        "version": "2.0.0",
        "created": package.generated.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "sources": [
            {
                "title": "Streetlight resident reports (counted with the authors' consent to statistics)",
                "description": (
                    f"Generated by Streetlight {version()} (`streetlight export research`) on "
                    f"{package.generated.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}; received {package.since:%Y-%m-%d} to "
                    f"{package.until:%Y-%m-%d} inclusive ({settings.TIME_ZONE}); k = {package.k}."
                ),
            }
        ],
        "streetlight": {
            "generator": f"streetlight {version()}",
            "from": package.since.isoformat(),
            "to": package.until.isoformat(),
            "counted_by": "date received",
            "time_zone": settings.TIME_ZONE,
            "min_count": package.k,
            "reports_counted": package.reports,
            "synthetic_reports": package.synthetic,
            "hidden_counts": {t.name: t.hidden for t in package.tables},
            "cross_table_audit": {
                "quarters": audit.quarters if audit else [],
                "counts_checked": audit.counts if audit else 0,
                "hidden_checked": audit.hidden if audit else 0,
                "recoverable": len(audit.recovered) if audit else None,
                "hidden_for_other_tables": audit.linked if audit else 0,
                "given_away_by_open_data_alone": audit.given_away if audit else 0,
            },
        },
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": t.name,
                "title": TITLES[t.name][0],
                "description": TITLES[t.name][1],
                "path": t.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields(t, package.districts, categories, kinds),
                    "primaryKey": primary_key(t),
                    "missingValues": MISSING,
                },
            }
            for t in package.tables
        ],
    }


def csv_text(table: Table, names: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(names), lineterminator="\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({n: "" if row.get(n) is None else row[n] for n in names})
    return out.getvalue()


def _files(package: ResearchPackage) -> list[tuple[str, str]]:
    meta = descriptor(package)
    names = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in meta["resources"]}
    return [
        ("datapackage.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n"),
        *((t.path, csv_text(t, names[t.name])) for t in package.tables),
        ("datasheet.md", datasheet(package)),
    ]


def write_package(package: ResearchPackage, directory: Path | str) -> list[Path]:
    """Write datapackage.json, the CSVs (under data/) and datasheet.md; returns the files written."""
    root = Path(directory)
    (root / "data").mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in _files(package):
        path = root / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def package_zip(package: ResearchPackage) -> bytes:
    """The same files as one zip (the package's name as its folder), for download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _files(package):
            archive.writestr(f"{package.name}/{name}", text)
    return buffer.getvalue()


def zip_directory(directory: Path | str, target: Path | str) -> Path:
    """Zip a written package directory (for `--zip`)."""
    root, out = Path(directory), Path(target)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            archive.write(path, f"{root.name}/{path.relative_to(root)}")
    return out
