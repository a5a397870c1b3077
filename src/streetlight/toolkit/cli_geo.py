"""`streetlight geo …`: area assignment, location blurring and day/night labels on row files.

Each verb reads rows (CSV, JSON-lines or GeoJSON; stdin by default), adds or rewrites a few
columns and writes them to stdout in the same format, so verbs chain in a shell pipe:

    streetlight geo assign --areas city.geojson reports.csv | streetlight geo daynight | ...

A row with a broken position or time is still written, with the new column empty and a warning
naming its line on stderr: one bad row in a million must not cost the other 999,999.
Rows are processed in batches so the geometry and astronomy run vectorised over numpy arrays.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from streetlight.toolkit.cli_rows import Batch, batches, error, io_arguments, run_rows, warn
from streetlight.toolkit.formats import RowReader
from streetlight.toolkit.geo import (
    AreaIndex,
    GeoDataError,
    blur_points,
    day_night,
    validate_lat_lon,
    validate_resolution,
)


def _number(value: Any, name: str) -> Any:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise ValueError(f"{name} must be a number, got {value!r}") from None
    return value


def _coordinates(
    batch: Batch, args: argparse.Namespace, consequence: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Latitudes and longitudes of a batch as float arrays, NaN (with a warning) where unusable."""
    lats = np.full(len(batch), np.nan)
    lons = np.full(len(batch), np.nan)
    for i, (line, row) in enumerate(batch):
        lat, lon = row.get(args.lat_column), row.get(args.lon_column)
        if lat in (None, "") or lon in (None, ""):
            warn(line, f"missing {args.lat_column}/{args.lon_column}; {consequence}")
            continue
        try:
            lat, lon = _number(lat, "latitude"), _number(lon, "longitude")
            validate_lat_lon(lat, lon)
        except ValueError as exc:
            warn(line, f"{exc}; {consequence}")
            continue
        lats[i], lons[i] = float(lat), float(lon)
    return lats, lons


def _parse_when(value: Any, column: str) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"missing {column!r}")
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{column!r} is not an ISO-8601 time: {value!r}") from None
    if when.tzinfo is None:
        raise ValueError(f"{column!r} has no UTC offset (add Z or +01:00): {value!r}")
    return when


def _utc_times(batch: Batch, column: str) -> npt.NDArray[np.datetime64]:
    """The `column` times of a batch as UTC datetime64, NaT (with a warning) where unusable."""
    times = np.full(len(batch), np.datetime64("NaT", "us"), dtype="datetime64[us]")
    for i, (line, row) in enumerate(batch):
        try:
            when = _parse_when(row.get(column), column)
        except ValueError as exc:
            warn(line, f"{exc}; day_night left empty")
            continue
        times[i] = np.datetime64(when.astimezone(UTC).replace(tzinfo=None), "us")
    return times


# -- verbs ---------------------------------------------------------------------------------------


def _assign(args: argparse.Namespace) -> int:
    try:
        index = AreaIndex.from_file(args.areas)
    except (OSError, GeoDataError) as exc:
        return error(f"{args.areas}: {exc}" if isinstance(exc, GeoDataError) else exc)

    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        outside = 0
        for batch in batches(reader):
            lats, lons = _coordinates(batch, args, "area left empty")
            codes = index.locate_many(lats, lons)
            outside += int(np.count_nonzero((codes == None) & ~np.isnan(lats)))  # noqa: E711
            for (_line, row), code in zip(batch, codes, strict=True):
                row["area"] = code
                yield row
        if outside:
            print(f"note: {outside} row(s) lie outside every area; area left empty", file=sys.stderr)

    return run_rows(args, rows)


def _blur(args: argparse.Namespace) -> int:
    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        for batch in batches(reader):
            lats, lons = _coordinates(batch, args, "location removed")
            blat, blon, cells = blur_points(lats, lons, resolution=args.resolution)
            for i, (_line, row) in enumerate(batch):
                # An unusable position is removed rather than passed through: it may still be exact.
                ok = cells[i] is not None
                row[args.lat_column] = float(blat[i]) if ok else None
                row[args.lon_column] = float(blon[i]) if ok else None
                row["h3"] = cells[i]
                yield row

    return run_rows(args, rows)


def _daynight(args: argparse.Namespace) -> int:
    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        for batch in batches(reader):
            times = _utc_times(batch, args.when_column)
            lats, lons = _coordinates(batch, args, "day_night left empty")
            labels = day_night(times, lats, lons)
            for (_line, row), label in zip(batch, labels.tolist(), strict=True):
                row["day_night"] = label or None
                yield row

    return run_rows(args, rows)


# -- plumbing ------------------------------------------------------------------------------------


def _resolution(text: str) -> int:
    try:
        return validate_resolution(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `geo` command and its verbs to a CLI's subparsers (the `streetlight` command's)."""
    geo = subparsers.add_parser("geo", help="area assignment, location blurring, day/night on row files")
    verbs = geo.add_subparsers(dest="geo_verb", required=True, metavar="VERB")

    assign = verbs.add_parser("assign", help="add an 'area' column from lat/lon")
    assign.add_argument("--areas", required=True, help="GeoJSON FeatureCollection of areas (code, name)")
    io_arguments(assign)
    assign.set_defaults(func=_assign)

    blur = verbs.add_parser("blur", help="replace lat/lon by the centre of their H3 cell; add 'h3'")
    blur.add_argument("--resolution", type=_resolution, default=8, help="H3 resolution 0..15 (default: 8)")
    io_arguments(blur)
    blur.set_defaults(func=_blur)

    daynight = verbs.add_parser("daynight", help="add 'day_night' (night = sun more than 6° below horizon)")
    daynight.add_argument("--when-column", default="when", help="ISO-8601 time with offset (default: when)")
    io_arguments(daynight)
    daynight.set_defaults(func=_daynight)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m streetlight.toolkit.cli_geo geo assign ...`."""
    parser = argparse.ArgumentParser(prog="python -m streetlight.toolkit.cli_geo")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
