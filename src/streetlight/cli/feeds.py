"""`streetlight feeds fetch [--source ID]`: read the configured public sources now (what `tick` does
for the due ones), printing each run's counts and skipped reasons."""

from __future__ import annotations

import argparse
from typing import Any

from streetlight.cli.base import django_setup


def _line(run: Any) -> str:
    text = (
        f"{run.source.name} (source {run.source_id}): {run.outcome}; {run.fetched} read, {run.new} new, "
        f"{run.duplicates} already stored, {run.skipped} skipped, {run.signals} signals"
    )
    return text + (f" — {run.error}" if run.error else "")


def cmd_feeds_fetch(args: argparse.Namespace) -> int:
    """With --source, that source even if not due (its minimum interval still applies); otherwise
    every due source. Exit 1 if a run failed."""
    django_setup()
    from streetlight.feeds.ingest import feed_fetch, feeds_due_run
    from streetlight.feeds.models import FeedSource

    if args.source is not None:
        source = FeedSource.objects.filter(pk=args.source).first()
        if source is None:
            print(f"No feed source {args.source}.")
            return 1
        runs = [feed_fetch(source=source)]
    else:
        runs = feeds_due_run()
    for run in runs:
        print(_line(run))
        for item in run.skipped_reasons:
            print(f"  skipped {item['position']}: {item['reason']}")
    if not runs:
        print("No source is due.")
    return 1 if any(run.outcome == "failed" for run in runs) else 0


def register(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="public sources: fetch them now")
    verbs = feeds.add_subparsers(dest="feeds_command", required=True, metavar="VERB")
    fetch = verbs.add_parser("fetch", help="fetch every due source, or one source by its id")
    fetch.add_argument("--source", type=int, default=None, metavar="ID")
    fetch.set_defaults(func=cmd_feeds_fetch)
