"""`streetlight posts …`: parse feeds and exports into post rows, geotag them, find bursts.

    streetlight posts parse --format mastodon timeline.json \\
      | streetlight posts geotag --gazetteer city.csv | streetlight posts bursts --place-column area

`parse` writes JSON-lines (one RawPost a line) and reports skipped items on stderr; a document that is
unusable as a whole exits 2 with the reason. `geotag` and `bursts` read and write rows like the other
toolkit verbs (CSV, JSON-lines or GeoJSON), so they chain with them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from streetlight.toolkit.cli_rows import error, io_arguments, run_rows, stdout, warn
from streetlight.toolkit.formats import RowReader
from streetlight.toolkit.posts import (
    MAX_FEED_BYTES,
    BurstDetector,
    FeedError,
    Gazetteer,
    GazetteerError,
    parse_csv,
    parse_jsonl,
    parse_mastodon,
    parse_rss,
    pseudonymise,
)
from streetlight.toolkit.posts.model import DateError, parse_when

UNUSABLE = 2


def _read(path: str) -> bytes:
    """At most one byte more than the limit: a giant input is refused without reading it all."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_FEED_BYTES + 1)
    with Path(path).open("rb") as fh:
        return fh.read(MAX_FEED_BYTES + 1)


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, key = pair.partition("=")
        if not sep or not field or not key:
            raise ValueError(f"--map wants FIELD=KEY, got {pair!r}")
        mapping[field.strip()] = key.strip()
    return mapping


def _parse(args: argparse.Namespace) -> int:
    try:
        data = _read(args.input)
        key = Path(args.pseudonym_key_file).read_bytes().strip() if args.pseudonym_key_file else None
        mapping = _mapping(args.map)
        if args.format == "rss":
            result = parse_rss(data)
        elif args.format == "mastodon":
            result = parse_mastodon(data)
        elif args.format == "jsonl":
            result = parse_jsonl(data, mapping)
        else:
            result = parse_csv(data, mapping)
    except FeedError as exc:
        print(f"error: {args.input}: {exc}", file=sys.stderr)
        return UNUSABLE
    except (OSError, ValueError) as exc:
        return error(exc)
    for item in result.skipped:
        print(f"skipped: {item.position}: {item.reason}", file=sys.stderr)
    out = stdout()
    try:
        for post in result.posts:
            row = post.to_dict()
            if key is not None:
                row["author"] = pseudonymise(post.author, key=key, source=args.source)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        return 0
    print(f"{len(result.posts)} posts, {len(result.skipped)} skipped", file=sys.stderr)
    return 0


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _geotag(args: argparse.Namespace) -> int:
    try:
        gazetteer = Gazetteer.from_file(args.gazetteer)
    except (OSError, GazetteerError) as exc:
        return error(f"{args.gazetteer}: {exc}")

    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        for _line, row in reader:
            text = row.get(args.text_column)
            language = row.get(args.language_column)
            match = gazetteer.best(
                text if isinstance(text, str) else "", language if isinstance(language, str) else None
            )
            if match is not None and match.confidence < args.min_confidence:
                match = None
            row["place"] = match.place.name if match else None
            row["area"] = match.place.area if match else None
            row["geo_confidence"] = match.confidence if match else None
            has_position = (
                _number(row.get(args.lat_column)) is not None and _number(row.get(args.lon_column)) is not None
            )
            if not has_position:
                row[args.lat_column] = match.place.lat if match else None
                row[args.lon_column] = match.place.lon if match else None
            yield row

    return run_rows(args, rows)


def _bursts(args: argparse.Namespace) -> int:
    """Reads every row first (times may come in any order), then writes one row per burst."""
    try:
        detector = BurstDetector(
            window=timedelta(minutes=args.window_minutes),
            min_count=args.min_count,
            baseline_per_hour=args.baseline_per_hour,
            alpha=args.alpha,
        )
    except ValueError as exc:
        return error(exc)

    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        events = []
        for line, row in reader:
            place = row.get(args.place_column)
            if place in (None, ""):
                continue  # a post about no known place: not an error
            try:
                when = parse_when(row.get(args.time_column))
            except DateError as exc:
                warn(line, str(exc))
                continue
            if when is None:
                warn(line, f"no {args.time_column!r}; row not counted")
                continue
            events.append((str(place), when))
        for place, when in sorted(events, key=lambda event: event[1]):
            burst = detector.add(place, when)
            if burst is not None:
                yield burst.to_dict()

    return run_rows(args, rows)


def _positive(kind: type[int] | type[float]) -> Any:
    def convert(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return convert


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse._SubParsersAction[Any]:
    """Add the `posts` command and its verbs; returns its verbs so `analyse` can add itself."""
    posts = subparsers.add_parser("posts", help="open posts: parse feeds, geotag, bursts")
    verbs = posts.add_subparsers(dest="posts_verb", required=True, metavar="VERB")

    parse = verbs.add_parser("parse", help="RSS/Atom, Mastodon JSON, JSON-lines or CSV → JSON-lines of posts")
    parse.add_argument("input", nargs="?", default="-", help="the document, or - for stdin (default)")
    parse.add_argument("--format", required=True, choices=["rss", "mastodon", "jsonl", "csv"])
    parse.add_argument(
        "--map", action="append", default=[], metavar="FIELD=KEY", help="jsonl/csv: our field from the export's key"
    )
    parse.add_argument("--pseudonym-key-file", help="replace each author by its keyed pseudonym (key in this file)")
    parse.add_argument("--source", default="", help="the source's name, mixed into pseudonyms")
    parse.set_defaults(func=_parse)

    geotag = verbs.add_parser("geotag", help="add place, area, geo_confidence (and lat/lon when missing)")
    geotag.add_argument("--gazetteer", required=True, help="the city's places: CSV or GeoJSON")
    geotag.add_argument("--text-column", default="text")
    geotag.add_argument("--language-column", default="language")
    geotag.add_argument("--min-confidence", type=float, default=0.0, help="weaker matches count as none")
    io_arguments(geotag)
    geotag.set_defaults(func=_geotag)

    bursts = verbs.add_parser("bursts", help="one row per burst: place, start, end, count, expected, score")
    bursts.add_argument("--place-column", default="place", help="what a burst is about (e.g. place or area)")
    bursts.add_argument("--time-column", default="published")
    bursts.add_argument("--window-minutes", type=_positive(float), default=30.0)
    bursts.add_argument("--min-count", type=_positive(int), default=3)
    bursts.add_argument("--baseline-per-hour", type=_positive(float), default=0.05)
    bursts.add_argument("--alpha", type=_positive(float), default=0.001)
    io_arguments(bursts)
    bursts.set_defaults(func=_bursts)
    return verbs


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m streetlight.toolkit.cli_posts posts parse ...`."""
    parser = argparse.ArgumentParser(prog="python -m streetlight.toolkit.cli_posts")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
