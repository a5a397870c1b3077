"""Plumbing shared by the toolkit's row verbs (`streetlight geo …`, `streetlight triage …`): read
rows in batches, write them in the input's format, report bad lines and errors the same way."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from streetlight.toolkit.formats import FORMATS, FormatError, RowReader, write_rows

BATCH_ROWS = 4096
Batch = list[tuple[int, dict[str, Any]]]


def warn(line: int, message: str) -> None:
    print(f"warning: line {line}: {message}", file=sys.stderr)


def error(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def batches(reader: RowReader) -> Iterator[Batch]:
    """Rows in batches; on malformed input the rows before it still go out, then the error."""
    batch: Batch = []
    error: FormatError | None = None
    try:
        for item in reader:
            batch.append(item)
            if len(batch) == BATCH_ROWS:
                yield batch
                batch = []
    except FormatError as exc:
        error = exc
    if batch:
        yield batch
    if error is not None:
        raise error


def stdout() -> Any:
    """stdout as UTF-8 whatever the locale: area names and free text are rarely pure ASCII."""
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper) and out.encoding.lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    return out


def run_rows(args: argparse.Namespace, transform: Callable[[RowReader], Iterator[dict[str, Any]]]) -> int:
    try:
        reader = RowReader(args.input, args.format)
    except (OSError, FormatError) as exc:
        return error(exc)
    with reader:
        out = stdout()
        try:
            fmt = args.output_format or reader.fmt
            write_rows(transform(reader), out, fmt, lat_key=args.lat_column, lon_key=args.lon_column)
            out.flush()
        except FormatError as exc:
            out.flush()
            return error(exc)
        except BrokenPipeError:
            # The reader of our output (e.g. `head`) has had enough; that is not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    return 0


def io_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", default="-", help="input file, or - for stdin (default)")
    parser.add_argument("--format", choices=FORMATS, help="input format (default: from extension or content)")
    parser.add_argument("--output-format", choices=FORMATS, help="output format (default: the input's)")
    parser.add_argument("--lat-column", default="lat", help="latitude column (default: lat)")
    parser.add_argument("--lon-column", default="lon", help="longitude column (default: lon)")
