"""`streetlight export research`: the anonymised research data package (Frictionless Data Package)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from streetlight.cli.base import django_setup

USAGE_ERROR = 2


def _day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"--{name}: {raw!r} is not a date; use YYYY-MM-DD") from None


def cmd_export_research(args: argparse.Namespace) -> int:
    """Suppressed counts of whole finished quarters, as datapackage.json, CSVs and datasheet.md in --out."""
    try:
        since, until = _day(args.since, "from"), _day(args.until, "to")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    django_setup()
    from pathlib import Path

    from streetlight.insight import research
    from streetlight.insight.data import BadFilter

    try:
        package = research.research_package(since=since, until=until)
    except BadFilter as exc:
        print("error: " + "; ".join(f"--{k}: {v}" for k, v in exc.errors.items()), file=sys.stderr)
        return USAGE_ERROR
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"error: --out: {out} exists and is not a directory", file=sys.stderr)
        return USAGE_ERROR
    for path in research.write_package(package, out):
        print(f"Wrote {path}")
    if args.zip:
        print(f"Wrote {research.zip_directory(out, out.with_name(out.name + '.zip'))}")
    hidden = sum(t.hidden for t in package.tables)
    print(f"{package.reports} reports counted; k = {package.k}; {hidden} counts hidden.")
    if package.audit is not None:
        audit = package.audit
        print(
            f"Cross-table audit with the open data: {audit.counts} counts checked, {audit.hidden} hidden, "
            f"{len(audit.recovered)} recoverable ({audit.linked} hidden for the other tables)."
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export anonymised data sets")
    kinds = p.add_subparsers(dest="export", required=True, metavar="DATASET")
    r = kinds.add_parser("research", help="the research data package: suppressed counts, schemas and a datasheet")
    r.add_argument("--from", dest="since", required=True, help="first day of a quarter, YYYY-MM-DD")
    r.add_argument("--to", dest="until", required=True, help="last day of a quarter that is over, YYYY-MM-DD")
    r.add_argument("--out", required=True, help="directory to write datapackage.json, data/*.csv, datasheet.md")
    r.add_argument("--zip", action="store_true", help="also write DIR.zip beside the directory")
    r.set_defaults(func=cmd_export_research)
