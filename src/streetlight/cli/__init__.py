"""The `streetlight` command: run the platform and the toolkit verbs.

`serve`, `worker`, `migrate`, `demo`, `createadmin` drive the web platform; toolkit verbs (`geo`, …)
work on files without a database, so they chain in shell pipes. Each group of verbs registers itself
from its own module."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from streetlight.cli import analysis, audit, backup, export, feeds, platform, retention, security

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streetlight", description=__doc__.splitlines()[0] if __doc__ else "")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    platform.register(sub)
    security.register(sub)
    retention.register(sub)
    backup.register(sub)
    audit.register(sub)
    feeds.register(sub)
    export.register(sub)
    from streetlight.toolkit import cli_cap, cli_forecast, cli_geo, cli_posts, cli_triage

    cli_geo.register(sub)
    cli_forecast.register(sub)
    cli_cap.register(sub)
    analysis.register(sub, cli_triage.register(sub))
    cli_posts.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
