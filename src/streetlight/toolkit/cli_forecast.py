"""`streetlight forecast …`: backtest forecast methods on a file of past events, or forecast a window.

    streetlight forecast backtest --events burglary.csv --x X --y Y --date date \\
        --boundary city.geojson --cell 150 --methods naive,kde,prospective,sepp,context
    streetlight forecast predict --events burglary.csv --x X --y Y --date date \\
        --boundary city.geojson --cell 150 --method sepp --for 2017-01-01 > risk.csv

Both read events with positions in metres (a projected CRS), or lon/lat with --lonlat. Forecasts
are about places and times, never about people.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import shapely

from streetlight.toolkit.cli_rows import error, stdout
from streetlight.toolkit.forecast import (
    KDE,
    BacktestSpec,
    Events,
    Forecaster,
    ForecastInputError,
    Grid,
    H3Grid,
    LocalProjection,
    NaiveCounts,
    ProspectiveHotspot,
    SquareGrid,
    Window,
    read_events,
    run_backtest,
)
from streetlight.toolkit.forecast.calendar import PaydayRule, load_holidays
from streetlight.toolkit.forecast.chart import hit_rate_svg
from streetlight.toolkit.forecast.context import Context, read_public_events, read_venues, read_weather
from streetlight.toolkit.forecast.context_model import ContextModel
from streetlight.toolkit.forecast.sepp import SEPP
from streetlight.toolkit.formats import write_rows

METHODS = ("naive", "kde", "prospective", "sepp", "context")


def _note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def _load(args: argparse.Namespace) -> tuple[Events, Grid, LocalProjection | None]:
    tz = None
    if args.tz:
        try:
            tz = ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ForecastInputError(f"unknown time zone {args.tz!r} (e.g. America/Chicago)") from None
    loaded = read_events(
        args.events, x=args.x, y=args.y, date=args.date, hour=args.hour, lonlat=args.lonlat, sort=args.sort, tz=tz
    )
    if loaded.skipped:
        lines = ", ".join(map(str, loaded.skipped_lines)) + (
            ", …" if loaded.skipped > len(loaded.skipped_lines) else ""
        )
        _note(f"{loaded.skipped} row(s) without a position or time left out (line {lines})")
    events = loaded.events
    if args.h3 is not None:
        if not args.lonlat or loaded.projection is None or events.lon is None or events.lat is None:
            raise ForecastInputError("--h3 needs events as longitude/latitude (--lonlat)")
        boundary: Any = args.boundary or shapely.box(
            events.lon.min(), events.lat.min(), events.lon.max(), events.lat.max()
        )
        grid: Grid = H3Grid.from_boundary(boundary, args.h3, loaded.projection)
    elif args.boundary:
        if args.lonlat:
            raise ForecastInputError("with --lonlat, give --h3 cells, or a boundary in the events' x/y metres")
        grid = SquareGrid.from_boundary(args.boundary, args.cell)
    else:
        _note("no --boundary: the study area is the events' bounding box, and PAI depends on it")
        grid = SquareGrid.from_bounds(
            float(events.x.min()),
            float(events.y.min()),
            float(events.x.max()) + 1e-6,
            float(events.y.max()) + 1e-6,
            args.cell,
        )
    outside = int((grid.locate(events) < 0).sum())
    if outside == len(events):
        raise ForecastInputError(
            "none of the events falls inside the study area: check --x/--y (swapped?) and that the boundary is in "
            "the same coordinates"
        )
    if outside:
        _note(f"{outside} of {len(events)} events fall outside the study area: not used or scored")
    return events, grid, loaded.projection


def _context(args: argparse.Namespace, projection: LocalProjection | None) -> Context:
    return Context(
        holidays=load_holidays(args.holidays) if args.holidays else frozenset(),
        paydays=tuple(PaydayRule.parse(rule) for rule in args.payday or ()),
        events=tuple(read_public_events(args.public_events, projection)) if args.public_events else (),
        venues=tuple(read_venues(args.venues, projection)) if args.venues else (),
        weather=read_weather(args.weather) if args.weather else {},
    )


def _model(name: str, grid: Grid, args: argparse.Namespace) -> Forecaster:
    days = None if args.days == 0 else args.days
    window = np.timedelta64(int(args.window_hours * 3600), "s")
    if name == "naive":
        return NaiveCounts(grid, days=days)
    if name == "kde":
        return KDE(grid, bandwidth_m=args.bandwidth, days=days)
    if name == "prospective":
        return ProspectiveHotspot(grid, days=days)
    if name == "sepp":
        return SEPP(grid, background_bandwidth_m=args.sepp_background)
    if name == "context":
        return ContextModel(grid, window=window)
    raise ForecastInputError(f"unknown method {name!r}; choose from {', '.join(METHODS)}")


def _methods(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in METHODS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown method(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(METHODS)}"
        )
    return names


def _coverages(text: str) -> tuple[float, ...]:
    try:
        values = tuple(
            float(v) / (100 if v.strip().endswith("%") or float(v) > 1 else 1)
            for v in (p.strip().rstrip("%") for p in text.split(","))
        )
    except ValueError:
        raise argparse.ArgumentTypeError(f"coverages must be numbers such as 0.05,0.10 or 5%,10%: {text!r}") from None
    return values


def _backtest(args: argparse.Namespace) -> int:
    try:
        events, grid, projection = _load(args)
        context = _context(args, projection)
        first_day = events.t[0].astype("datetime64[D]")
        start = np.datetime64(args.start, "s") if args.start else (first_day + np.timedelta64(args.days or 60, "D"))
        end = (
            np.datetime64(args.end, "s")
            if args.end
            else events.t[-1].astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(1, "D")
        )
        spec = BacktestSpec(
            start, end, np.timedelta64(int(args.window_hours * 3600), "s"), args.coverage, args.tie_rule
        )
        models = {name: _model(name, grid, args) for name in args.methods}
        print(
            f"{len(spec.windows())} windows of {args.window_hours:g} h from {spec.start} to {spec.end}; "
            f"{grid.n_cells} cells ({_grid_text(grid)}); tie rule {spec.tie_rule}",
            file=sys.stderr,
        )
        result = run_backtest(events, grid, models, spec, context=context, progress=args.progress)
    except (ForecastInputError, OSError) as exc:
        return error(exc)
    except ValueError as exc:  # a date given on the command line
        return error(f"cannot read a date option: {exc}")
    out = stdout()
    print(result.table(), file=out)
    print(f"\n{result.seconds:.1f} s for {len(result.windows)} windows × {len(models)} methods", file=out)
    if args.json:
        text = json.dumps(result.to_dict(), indent=1)
        if args.json == "-":
            print(text, file=out)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.chart:
        Path(args.chart).write_text(hit_rate_svg(result), encoding="utf-8")
    return 0


def _grid_text(grid: Grid) -> str:
    info = grid.describe()
    size = f"{info['cell_size_m']:g} m squares" if info["kind"] == "square" else f"H3 resolution {info['resolution']}"
    return f"{size}, {info['area_km2']:.1f} km²"


def _predict(args: argparse.Namespace) -> int:
    try:
        events, grid, projection = _load(args)
        context = _context(args, projection)
        start = np.datetime64(args.for_, "s")
        window = Window(start, start + np.timedelta64(int(args.window_hours * 3600), "s"))
        train = events.before(window.start)
        if not len(train):
            raise ForecastInputError(f"no event before {window.start}: nothing to forecast from")
        model = _model(args.method, grid, args).fit(train, context)
        risk = model.predict(window)
    except (ForecastInputError, OSError) as exc:
        return error(exc)
    except ValueError as exc:
        return error(f"cannot read --for: {exc}")
    order = np.argsort(-risk, kind="stable")
    rank = np.empty(len(risk), dtype=np.int64)
    rank[order] = np.arange(1, len(risk) + 1)
    flagged = max(1, int(np.floor(args.top * grid.n_cells + 0.5)))

    def rows() -> Iterator[dict[str, Any]]:
        lon = lat = None
        if projection is not None:
            lon, lat = projection.inverse(grid.cx, grid.cy)
        cells = getattr(grid, "cells", None)
        for i in order if args.all else order[:flagged]:
            row: dict[str, Any] = {
                "cell": cells[i] if cells is not None else int(i),
                "x": round(float(grid.cx[i]), 2),
                "y": round(float(grid.cy[i]), 2),
            }
            if lon is not None and lat is not None:
                row["lon"], row["lat"] = round(float(lon[i]), 6), round(float(lat[i]), 6)
            row.update(risk=round(float(risk[i]), 6), rank=int(rank[i]), flagged=bool(rank[i] <= flagged))
            yield row

    out = stdout()
    try:
        write_rows(rows(), out, args.output_format)
        out.flush()
    except BrokenPipeError:
        # The reader of our output (e.g. `head`) has had enough; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    print(
        f"{args.method}: {float(risk.sum()):.1f} events expected in {window.start}..{window.end}; "
        f"{flagged} cells ({args.top:.0%} of {grid.n_cells}) flagged",
        file=sys.stderr,
    )
    return 0


# -- plumbing ------------------------------------------------------------------------------------


def _data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--events", required=True, help="past events: CSV, JSON-lines or GeoJSON rows")
    p.add_argument("--x", required=True, help="x column (metres in a projected CRS; longitude with --lonlat)")
    p.add_argument("--y", required=True, help="y column (metres; latitude with --lonlat)")
    p.add_argument("--date", required=True, help="date or date-time column (ISO 8601, local time)")
    p.add_argument("--hour", help="hour-of-day column (0..23) added to a date-only --date")
    p.add_argument("--lonlat", action="store_true", help="--x/--y are longitude/latitude (projected locally)")
    p.add_argument("--tz", help="city time zone for times given with an offset (default: their UTC time)")
    p.add_argument("--sort", action="store_true", help="sort events by time (default: refuse unsorted input)")
    p.add_argument("--boundary", help="study area: GeoJSON polygon(s) in the events' coordinates")
    p.add_argument("--cell", type=float, default=150.0, help="square cell size in metres (default: 150)")
    p.add_argument("--h3", type=int, help="use H3 cells of this resolution instead of squares (needs --lonlat)")
    p.add_argument(
        "--days", type=float, default=60.0, help="training span of naive/kde/prospective; 0: all (default: 60)"
    )
    p.add_argument("--bandwidth", type=float, default=150.0, help="KDE bandwidth in metres (default: 150)")
    p.add_argument("--sepp-background", type=float, default=300.0, help="SEPP background bandwidth, m (default: 300)")
    p.add_argument("--window-hours", type=float, default=24.0, help="forecast window length (default: 24)")
    p.add_argument("--holidays", help="file of public holidays, one ISO date per line (context)")
    p.add_argument("--payday", action="append", help="payday rule, repeatable: 'last working day', 'day 15', …")
    p.add_argument("--public-events", help="CSV or ICS of public events: matches, concerts, markets (context)")
    p.add_argument("--venues", help="CSV of nightlife venues with opening_hours (context)")
    p.add_argument("--weather", help="CSV of daily weather: date plus numeric columns (context)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `forecast` command and its verbs to a CLI's subparsers (the `streetlight` command's)."""
    forecast = subparsers.add_parser("forecast", help="backtest forecast methods, or forecast a window")
    verbs = forecast.add_subparsers(dest="forecast_verb", required=True, metavar="VERB")

    backtest = verbs.add_parser("backtest", help="rolling-origin backtest: hit rate, PAI, PEI per method")
    _data_arguments(backtest)
    backtest.add_argument(
        "--methods",
        type=_methods,
        default=["naive", "kde", "prospective"],
        help=f"comma-separated, from {','.join(METHODS)} (default: naive,kde,prospective)",
    )
    backtest.add_argument("--start", help="first forecast window (default: --days after the first event)")
    backtest.add_argument("--end", help="end of the last window, exclusive (default: the day after the last event)")
    backtest.add_argument(
        "--coverage", type=_coverages, default=(0.05, 0.10), help="shares of the area (default: 0.05,0.10)"
    )
    backtest.add_argument(
        "--tie-rule",
        choices=("expected", "index"),
        default="expected",
        help="cells tied at the cut-off: share of the tied group (expected) or by cell index",
    )
    backtest.add_argument("--json", help="write the full results (per window too) as JSON to this file, or -")
    backtest.add_argument("--chart", help="write the hit-rate curves as SVG to this file")
    backtest.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    backtest.set_defaults(func=_backtest)

    predict = verbs.add_parser("predict", help="forecast one window from all events before it; rows of cells")
    _data_arguments(predict)
    predict.add_argument("--method", choices=METHODS, default="kde", help="model (default: kde)")
    predict.add_argument("--for", dest="for_", required=True, help="window start, e.g. 2017-01-01 or 2017-01-01T18:00")
    predict.add_argument("--top", type=float, default=0.05, help="share of the area to flag (default: 0.05)")
    predict.add_argument("--all", action="store_true", help="write every cell, not only the flagged ones")
    predict.add_argument("--output-format", choices=("csv", "jsonl"), default="csv", help="default: csv")
    predict.set_defaults(func=_predict)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m streetlight.toolkit.cli_forecast forecast backtest ...`."""
    parser = argparse.ArgumentParser(prog="python -m streetlight.toolkit.cli_forecast")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
