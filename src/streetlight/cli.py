"""The `streetlight` command: run the platform and the toolkit verbs.

`serve`, `worker`, `migrate`, `demo`, `createadmin` drive the web platform; toolkit verbs (`geo`, …)
work on files without a database, so they chain in shell pipes."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import secrets
import sys
from collections.abc import Sequence

DEMO_PASSWORD = "portavera-demo-2026"  # noqa: S105 - documented demo-only password, never for a real city


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "streetlight.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    _manage("migrate", "--noinput", *(["-v", "0"] if args.quiet else []))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, load the demo city and, if the database has no reports yet, a year of reports."""
    _django()
    from streetlight.demo.seed import seed_catalog, seed_police_statistics, seed_reports, seed_staff
    from streetlight.reports.models import Report
    from streetlight.triage.services import triage_seed_model

    _manage("migrate", "--noinput", "-v", "0")
    counts = seed_catalog()
    model = triage_seed_model()
    if model is not None:
        print(f"Triage model #{model.pk} trained on {model.trained_on} shipped seed texts ({model.status}).")
    if not args.no_staff:
        names = seed_staff(password=DEMO_PASSWORD)
        print(f"Demo staff accounts ({len(names)}), password {DEMO_PASSWORD!r}: " + ", ".join(names))
    print(
        f"Demo city: {counts['areas']} areas, {counts['categories']} categories, "
        f"{counts['support_services']} support services."
    )
    if args.reports <= 0:
        pass
    elif Report.objects.exists() and not args.force:
        print("Reports already present: left as they are (use --force to add more).")
    else:
        print(f"Generated {seed_reports(n=args.reports, seed=args.seed)} demo reports over the last 12 months.")
        print(f"Generated {seed_police_statistics(seed=args.seed)} made-up police-recorded crimes to compare with.")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from streetlight.accounts.models import User
    from streetlight.accounts.services import admin_create

    if User.objects.filter(username=args.username).exists():
        print(f"The user {args.username!r} already exists.", file=sys.stderr)
        return 1
    password = os.environ.get("STREETLIGHT_ADMIN_PASSWORD") or ""
    generated = False
    if not password and args.generate_password:
        password, generated = secrets.token_urlsafe(18), True
    if not password:
        password = getpass.getpass("Password: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        print("Password refused: " + " ".join(exc.messages), file=sys.stderr)
        return 1
    admin_create(username=args.username, email=args.email, password=password)
    print(f"Administrator {args.username!r} created." + (f" Password: {password}" if generated else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """A production-grade ASGI server (uvicorn) with static files prepared first."""
    _django()
    import uvicorn

    if not args.no_collectstatic:
        _manage("collectstatic", "--noinput", "-v", "0")
    uvicorn.run(
        "streetlight.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=20,
        access_log=not args.no_access_log,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run background tasks (django-tasks-db) until stopped."""
    _django()
    _manage("db_worker", *(["--batch"] if args.batch else []))
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    """Load a city's own areas (GeoJSON), categories or support services (JSON) from a file."""
    import json

    _django()
    from streetlight.reports import services
    from streetlight.toolkit.geo import GeoDataError

    try:
        with open(args.file, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    try:
        if args.what == "areas":
            count = services.areas_load(geojson=data, level=args.level)
        elif args.what == "categories":
            count = services.categories_load(tree=data)
        else:
            count = services.support_services_load(services=data)
    except (GeoDataError, KeyError, TypeError, ValueError) as exc:
        print(f"{args.file}: {exc!s}", file=sys.stderr)
        return 1
    print(f"Loaded {count} {args.what} from {args.file}.")
    return 0


def cmd_tick(args: argparse.Namespace) -> int:
    """Periodic duties (run every few minutes from a timer): escalate late assignments to supervisors;
    once a day, the flashpoint forecast for the next day."""
    _django()
    from streetlight.notify.services import escalations_notify
    from streetlight.reports.services.submit import reports_unprocessed_requeue, uses_database_queue
    from streetlight.routing.services import assignments_escalate

    late = assignments_escalate()
    mailed = escalations_notify(assignments=late)
    print(f"Escalated {len(late)} late assignments; {mailed} e-mails to supervisors.")
    if not uses_database_queue():
        print(f"Queued again {reports_unprocessed_requeue()} reports whose processing never ran.")
    from streetlight.insight.forecasting import forecast_due, forecast_run
    from streetlight.toolkit.forecast import ForecastInputError

    if forecast_due() or args.forecast_now:
        try:
            forecast = forecast_run()
        except ForecastInputError as exc:
            print(f"No flashpoint forecast: {exc}")
        else:
            print(f"Flashpoint forecast for {forecast.window_start:%Y-%m-%d}: {len(forecast.cells)} cells flagged.")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django()
    _manage(*args.args)
    return 0


def cmd_triage_models(args: argparse.Namespace) -> int:
    _django()
    from streetlight.triage.selectors import model_list

    for model in model_list():
        score = model.evaluation.get("macro_f1")
        scored = f"macro-F1 {score:.3f} on {model.held_out} held out" if score is not None else model.error
        state = "active" if model.active else model.status
        when = f"{model.created_at:%Y-%m-%d %H:%M}"
        print(f"#{model.pk}  {when}  {state:<8}  {model.source:<6}  {model.trained_on:>6} texts  {scored}")
    return 0


def cmd_triage_retrain(args: argparse.Namespace) -> int:
    """Train now, in this process (the app's button queues the same work for the worker)."""
    _django()
    from streetlight.triage import services

    try:
        model = services.triage_model_request(actor=None, with_seed_texts=not args.without_seed_texts, queue=False)
    except services.TriageRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    model = services.triage_model_train(model_id=model.pk, with_seed_texts=not args.without_seed_texts)
    if model.status != "ready":
        print(f"error: training failed: {model.error}", file=sys.stderr)
        return 1
    print(f"Model #{model.pk}: trained on {model.trained_on} texts, held out {model.held_out}.")
    print(json.dumps({k: model.evaluation.get(k) for k in ("macro_f1", "subset_accuracy", "hamming_accuracy")}))
    if args.activate:
        services.triage_model_activate(actor=None, model_id=model.pk)
        print(f"Model #{model.pk} is now active.")
    return 0


def cmd_triage_activate(args: argparse.Namespace) -> int:
    _django()
    from streetlight.triage import services

    try:
        services.triage_model_activate(actor=None, model_id=args.model_id)
    except services.TriageRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Model #{args.model_id} is now active.")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    """Field-encryption keys: `add` a new current key, `rotate` re-encrypts under it (resumable)."""
    _django()
    from streetlight.core import crypto, keys

    if args.action == "add":
        if os.environ.get("STREETLIGHT_KEYS", "").strip():
            kid = f"k{secrets.randbelow(10**6)}"
            print("Keys come from STREETLIGHT_KEYS: put this line first there, then run `streetlight keys rotate`:")
            print(crypto.new_key_line(kid))
            return 0
        print(f"Key {keys.key_add()} is now current in {crypto.key_file()}; run `streetlight keys rotate`.")
        return 0
    for label, count in keys.rotate().items():
        print(f"{label}: {count} rows re-encrypted under key {crypto.keyring().current}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The council's policy report for an area and period, as HTML and/or PDF files."""
    _django()
    from datetime import date

    from streetlight.insight import policy
    from streetlight.insight.data import BadFilter

    try:
        report = policy.policy_report(
            area_code=args.area, since=date.fromisoformat(args.since), until=date.fromisoformat(args.until)
        )
    except (BadFilter, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    html = policy.render_html(report)
    if args.html:
        with open(args.html, "w", encoding="utf-8") as out:
            out.write(html)
        print(f"Wrote {args.html}")
    if args.pdf:
        with open(args.pdf, "wb") as out:
            out.write(policy.render_pdf(html))
        print(f"Wrote {args.pdf}")
    if not args.html and not args.pdf:
        sys.stdout.write(html)
    return 0


def cmd_police(args: argparse.Namespace) -> int:
    """Import police-recorded crime for the dark-number comparison (all or nothing by default)."""
    _django()
    from streetlight.insight.services import NoAreas, police_statistics_import
    from streetlight.toolkit.darknumber import ImportFailed

    try:
        batch, result = police_statistics_import(
            paths=args.files, mapping_file=args.mapping, allow_partial=args.allow_partial
        )
    except (ImportFailed, NoAreas, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for error in result.errors:
        print(f"warning: {error}", file=sys.stderr)
    print(
        f"Imported {batch.crimes} crimes in the city's areas for {', '.join(batch.months) or 'no month'} "
        f"({batch.rows_read} rows read, {batch.bad_rows} refused, {batch.outside_city} outside the areas)."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streetlight", description=__doc__.splitlines()[0] if __doc__ else "")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="serve the web platform")
    p.add_argument("--host", default=os.environ.get("STREETLIGHT_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("STREETLIGHT_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    p.add_argument("--no-collectstatic", action="store_true")
    p.add_argument("--no-access-log", action="store_true")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background tasks")
    p.add_argument("--batch", action="store_true", help="run the queued tasks, then stop")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="create or update the database tables")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("demo", help="load the demo city of Portavera")
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--force", action="store_true", help="add reports even if some exist")
    p.add_argument("--no-staff", action="store_true", help="create no demo staff accounts")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("createadmin", help="create the city's administrator account")
    p.add_argument("--username", default="admin")
    p.add_argument("--email", default="")
    p.add_argument("--generate-password", action="store_true", help="generate and print a password")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("tick", help="periodic duties: escalate late assignments, daily forecast (run from a timer)")
    p.add_argument("--forecast-now", action="store_true", help="make the flashpoint forecast even if not due")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("catalog", help="load the city's areas, categories or support services from a file")
    p.add_argument("what", choices=["areas", "categories", "services"])
    p.add_argument("file")
    p.add_argument("--level", default="district", help="level of the areas (district, neighbourhood…)")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("report", help="the policy report for a council meeting, as HTML and PDF")
    p.add_argument("--area", default="", help="an area code (default: the whole city)")
    p.add_argument("--from", dest="since", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="until", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--html", help="write the HTML here")
    p.add_argument("--pdf", help="write the PDF here")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("police", help="import police-recorded crime (data.police.uk layout or a mapped CSV)")
    p.add_argument("action", choices=["import"])
    p.add_argument("files", nargs="+")
    p.add_argument("--mapping", help="JSON column mapping for a CSV that is not in the data.police.uk layout")
    p.add_argument("--allow-partial", action="store_true", help="import the good rows when some are bad")
    p.set_defaults(func=cmd_police)

    p = sub.add_parser("keys", help="field-encryption keys: add a new one, re-encrypt under it")
    p.add_argument("action", choices=["add", "rotate"])
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    from streetlight.toolkit import cli_forecast, cli_geo, cli_triage

    cli_geo.register(sub)
    cli_forecast.register(sub)
    triage = cli_triage.register(sub)
    p = triage.add_parser("models", help="the platform's triage models and their held-out scores")
    p.set_defaults(func=cmd_triage_models)
    p = triage.add_parser("retrain", help="train a new platform model from the operators' labels")
    p.add_argument("--without-seed-texts", action="store_true", help="learn from the operators' labels only")
    p.add_argument("--activate", action="store_true", help="make it the active model at once")
    p.set_defaults(func=cmd_triage_retrain)
    p = triage.add_parser("activate", help="make a platform model active (or roll back to an older one)")
    p.add_argument("model_id", type=int)
    p.set_defaults(func=cmd_triage_activate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
