"""`streetlight cap …`: validate CAP 1.2 alerts, turn their areas into GeoJSON, wrap them in EDXL-DE.

    streetlight cap validate alerts/*.xml            # "FILE: valid" or "FILE: path: message"
    streetlight cap geojson alert.xml > areas.geojson
    streetlight geo assign --areas areas.geojson reports.csv   # which reports lie in the alert's areas
    streetlight cap wrap alert.xml --distribution-id D1 --sender-id ops@city.example > distribution.xml

`validate` and `geojson` also take EDXL-DE distributions (their embedded alerts). No Django, no
database: these verbs work on files, so they chain in shell pipes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streetlight.toolkit.cli_rows import error, stdout
from streetlight.toolkit.formats.cap import CapAlert, CapError, CapInfo, format_datetime, read_cap, validate_cap
from streetlight.toolkit.formats.edxl import (
    DISTRIBUTION_STATUSES,
    DISTRIBUTION_TYPES,
    EDXL_NS,
    unwrap_edxl_de,
    validate_edxl_de,
    wrap_edxl_de,
)
from streetlight.toolkit.geo import circle_ring


def _note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def _read(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def _is_edxl(data: bytes) -> bool:
    """A cheap look at the start of the document; the real parse (and its refusals) comes after."""
    head = data[:4096]
    return b"EDXLDistribution" in head and EDXL_NS.encode() in head


# -- validate --------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    out = stdout()
    failed = False
    for name in args.files:
        try:
            data = _read(name)
        except OSError as exc:
            failed = True
            error(f"{name}: {exc.strerror or exc}")
            continue
        problems = validate_edxl_de(data) if _is_edxl(data) else validate_cap(data)
        if not problems:
            print(f"{name}: valid", file=out)
        failed = failed or bool(problems)
        for problem in problems:
            print(f"{name}: {problem.path}: {problem.message}", file=out)
    out.flush()
    return 1 if failed else 0


# -- geojson ---------------------------------------------------------------------------------------


def _properties(alert: CapAlert, info: CapInfo, path: str, description: str) -> dict[str, Any]:
    return {
        "code": f"{alert.sender}/{alert.identifier}/{path}",
        "name": description,
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": format_datetime(alert.sent),
        "status": alert.status,
        "msg_type": alert.msg_type,
        "event": info.event,
        "severity": info.severity,
        "urgency": info.urgency,
        "certainty": info.certainty,
        "language": info.language,
        "headline": info.headline,
        "expires": None if info.expires is None else format_datetime(info.expires),
        "area": path,
    }


def alert_features(alert: CapAlert, *, circles: str = "polygon", where: str = "") -> Iterator[dict[str, Any]]:
    """One GeoJSON Feature per CAP polygon and circle. Polygons keep their exact points (as
    [lon, lat]); circles become 64-sided polygons (`circles="polygon"`, so `geo assign --areas`
    takes the file) or Points with a `radius_km` property (`circles="point"`)."""
    for i, info in enumerate(alert.infos):
        for a, area in enumerate(info.areas):
            at = f"info[{i}].area[{a}]"
            if not area.polygons and not area.circles:
                _note(f"{where}alert.{at} has no polygon or circle (geocodes only); left out")
            for k, ring in enumerate(area.polygons):
                props = _properties(alert, info, f"{at}.polygon[{k}]", area.description)
                geometry = {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in ring]]}
                yield {"type": "Feature", "properties": props, "geometry": geometry}
            for k, (lat, lon, radius) in enumerate(area.circles):
                props = _properties(alert, info, f"{at}.circle[{k}]", area.description)
                props |= {"radius_km": radius, "circle_lat": lat, "circle_lon": lon}
                if circles == "point":
                    yield {
                        "type": "Feature",
                        "properties": props,
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    }
                    continue
                drawn = circle_ring(lat, lon, radius)
                if radius <= 0 or any(abs(x) > 180 or abs(y) >= 90 for x, y in drawn):
                    _note(
                        f"{where}alert.{at}.circle[{k}] (radius {radius} km) cannot be drawn as a polygon "
                        "(a point, or across a pole or the 180° meridian); left out, see --circles point"
                    )
                    continue
                yield {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [drawn]}}


def _geojson(args: argparse.Namespace) -> int:
    features: list[dict[str, Any]] = []
    failed = False
    for name in args.files:
        try:
            data = _read(name)
            documents = unwrap_edxl_de(data) if _is_edxl(data) else [data]
            for n, document in enumerate(documents):
                where = f"{name}: " if len(documents) == 1 else f"{name}: alert {n}: "
                features.extend(alert_features(read_cap(document), circles=args.circles, where=where))
        except OSError as exc:
            failed = True
            error(f"{name}: {exc.strerror or exc}")
        except CapError as exc:
            failed = True
            for problem in exc.problems:
                error(f"{name}: {problem}")
    out = stdout()
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    out.flush()
    return 1 if failed else 0


# -- wrap ------------------------------------------------------------------------------------------


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO-8601 date and time") from None
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset (add +01:00 or Z)")
    return when


def _pair(text: str) -> tuple[str, str]:
    urn, sep, value = text.partition("=")
    if not sep or not urn or not value:
        raise argparse.ArgumentTypeError(f"{text!r} is not URN=VALUE")
    return urn, value


def _wrap(args: argparse.Namespace) -> int:
    documents = []
    for name in args.files:
        try:
            documents.append(_read(name))
        except OSError as exc:
            return error(f"{name}: {exc.strerror or exc}")
    try:
        data = wrap_edxl_de(
            documents,
            distribution_id=args.distribution_id,
            sender_id=args.sender_id,
            sent=args.sent or datetime.now(UTC).replace(microsecond=0),
            status="Exercise" if args.exercise else args.status,
            kind=args.kind,
            recipients=args.recipient or (),
            keywords=args.keyword or (),
        )
    except CapError as exc:
        for problem in exc.problems:
            path = problem.path
            for i, name in enumerate(args.files):
                if path.startswith(f"cap_documents[{i}]."):
                    path = f"{name}: {path.removeprefix(f'cap_documents[{i}].')}"
            error(f"{path}: {problem.message}")
        return 1
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


# -- plumbing --------------------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `cap` command and its verbs to a CLI's subparsers (the `streetlight` command's)."""
    cap = subparsers.add_parser("cap", help="CAP 1.2 alerts: validate, areas as GeoJSON, wrap in EDXL-DE")
    verbs = cap.add_subparsers(dest="cap_verb", required=True, metavar="VERB")

    validate = verbs.add_parser("validate", help="check CAP (or EDXL-DE) files against the XSD and CAP's rules")
    validate.add_argument("files", nargs="+", metavar="FILE", help="CAP or EDXL-DE documents; - for stdin")
    validate.set_defaults(func=_validate)

    geojson = verbs.add_parser("geojson", help="the alerts' areas as a GeoJSON FeatureCollection")
    geojson.add_argument("files", nargs="+", metavar="FILE", help="CAP or EDXL-DE documents; - for stdin")
    geojson.add_argument(
        "--circles",
        choices=("polygon", "point"),
        default="polygon",
        help="circles as 64-sided polygons (default, usable by geo assign --areas) or points with radius_km",
    )
    geojson.set_defaults(func=_geojson)

    wrap = verbs.add_parser("wrap", help="wrap CAP documents in an EDXL-DE 1.0 distribution (to stdout)")
    wrap.add_argument("files", nargs="+", metavar="FILE", help="CAP documents; - for stdin")
    wrap.add_argument("--distribution-id", required=True, help="unique identifier of this distribution")
    wrap.add_argument("--sender-id", required=True, help="the sender, as actor@domain-name")
    wrap.add_argument("--status", choices=DISTRIBUTION_STATUSES, default="Actual", help="(default: Actual)")
    wrap.add_argument("--exercise", action="store_true", help="same as --status Exercise")
    wrap.add_argument("--kind", choices=DISTRIBUTION_TYPES, default="Report", help="distributionType (default: Report)")
    wrap.add_argument("--sent", type=_when, help="dateTimeSent, ISO-8601 with offset (default: now)")
    wrap.add_argument("--recipient", action="append", metavar="ADDRESS", help="an e-mail recipient (repeatable)")
    wrap.add_argument("--keyword", action="append", type=_pair, metavar="URN=VALUE", help="a keyword (repeatable)")
    wrap.set_defaults(func=_wrap)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m streetlight.toolkit.cli_cap cap validate ...`."""
    parser = argparse.ArgumentParser(prog="python -m streetlight.toolkit.cli_cap")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
