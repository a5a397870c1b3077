"""Command line: JSON lines on stdout, so the verbs of the toolkit can be chained."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from streetlight.toolkit.formats import write_rows

from .city import load_categories, load_districts
from .core import generate_reports


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m streetlight.demo.generator -n 2000 --days 365 > reports.jsonl`"""
    parser = argparse.ArgumentParser(description="Write synthetic Portavera reports as JSON lines.")
    parser.add_argument("-n", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--days", type=int, default=365, help="length of the window ending now (default 365)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    reports = generate_reports(
        districts=load_districts(),
        categories=load_categories(),
        n=args.n,
        start=end - timedelta(days=args.days),
        end=end,
        seed=args.seed,
    )
    write_rows(reports, sys.stdout, "jsonl")
    return 0
