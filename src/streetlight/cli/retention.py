"""Retention verbs: apply the retention periods now, or see what they would do."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from streetlight.cli.base import django_setup

if TYPE_CHECKING:
    from streetlight.reports.services.retention import RetentionResult


def summary_lines(result: RetentionResult) -> list[str]:
    """Per category what was (or would be) done, then the totals; the timer prints them too."""
    lines = []
    for code, counts in result.by_category.items():
        policy = counts.policy
        lines.append(
            f"{code}: wipe contact details {counts.contact}, anonymise {counts.anonymise}, delete {counts.delete} "
            f"(after {policy.contact_days} / {policy.anonymise_days} / {policy.delete_days or 'never'} days)"
        )
    contact, anonymise, delete = (result.total(step) for step in ("contact", "anonymise", "delete"))
    if result.dry_run:
        lines.append(
            f"Dry run, nothing changed: would wipe the contact details of {contact} reports, "
            f"anonymise {anonymise}, delete {delete}."
        )
    else:
        lines.append(
            f"Retention: wiped the contact details of {contact} reports, anonymised {anonymise}, deleted {delete}."
        )
    if not result.complete:
        lines.append("More reports are due: the next run continues.")
    return lines


def cmd_retention(args: argparse.Namespace) -> int:
    """Wipe contact details, anonymise and delete closed reports whose periods are over."""
    django_setup()
    from streetlight.reports.services.retention import retention_run

    for line in summary_lines(retention_run(dry_run=args.dry_run, limit=args.limit)):
        print(line)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="retention of personal data: wipe, anonymise, delete closed reports")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="apply the retention periods now (the timer runs this too)")
    run.add_argument("--dry-run", action="store_true", help="print what would be done per category; change nothing")
    run.add_argument("--limit", type=int, default=None, help="change at most this many reports (default: the batch)")
    run.set_defaults(func=cmd_retention)
