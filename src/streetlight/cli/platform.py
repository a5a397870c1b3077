"""Platform verbs: serve, run the worker and the timer's duties, set up the database and the city."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys

from streetlight.cli.base import django_setup, manage

DEMO_PASSWORD = "portavera-demo-2026"  # noqa: S105 - documented demo-only password, never for a real city


def cmd_serve(args: argparse.Namespace) -> int:
    """A production-grade ASGI server (uvicorn, one listening socket per worker) with static files
    prepared first. The supervisor then replaces this process (same PID, for systemd and signals)
    with a small one that imports neither Django nor the toolkit: only the workers load the platform."""
    if not args.no_collectstatic:
        django_setup()
        manage("collectstatic", "--noinput", "-v", "0")
    argv = [sys.executable, "-m", "streetlight.cli.serving", "--host", args.host, "--port", str(args.port)]
    argv += ["--workers", str(args.workers), *(["--no-access-log"] if args.no_access_log else [])]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, our own module, no shell


def cmd_worker(args: argparse.Namespace) -> int:
    """Run background tasks (django-tasks-db) until stopped. An idle worker looks for new tasks every
    `--interval` seconds: that pause is the longest queued work (e-mails, webhooks, triage, the routing
    of a report the intake could not route) waits to start."""
    django_setup()
    if args.nice:
        # Background work yields the cores to the web processes on a shared machine: under a burst,
        # reports keep being accepted and shown at once, and the e-mails and triage catch up after.
        os.nice(args.nice)
    manage("db_worker", "--interval", str(args.interval), *(["--batch"] if args.batch else []))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    django_setup()
    manage("migrate", "--noinput", *(["-v", "0"] if args.quiet else []))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, load the demo city and, if the database has no reports yet, a year of reports."""
    django_setup()
    from streetlight.demo.seed import seed_catalog, seed_police_statistics, seed_reports, seed_staff
    from streetlight.reports.models import Report
    from streetlight.triage.services import triage_seed_model

    manage("migrate", "--noinput", "-v", "0")
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
    from streetlight.alerts.demo import seed_warnings

    if seed_warnings():
        print("Demo warning: a call for help at /alerts/, and a standing rule for bike thefts.")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    django_setup()
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


def cmd_catalog(args: argparse.Namespace) -> int:
    """Load a city's own areas (GeoJSON), categories or support services (JSON) from a file."""
    import json

    django_setup()
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
    once a day, the flashpoint forecast for the next day; the retention of personal data, a batch at
    a time; overdue walk-me-home walks; the due public-post sources and their retention; idle and old
    chat conversations; the standing warning rules."""
    django_setup()
    from streetlight.notify.services import escalations_notify
    from streetlight.reports.services.submit import reports_unprocessed_requeue, uses_database_queue
    from streetlight.routing.services import assignments_escalate

    late = assignments_escalate()
    mailed = escalations_notify(assignments=late)
    print(f"Escalated {len(late)} late assignments; {mailed} e-mails to supervisors.")
    if not uses_database_queue():
        print(f"Queued again {reports_unprocessed_requeue()} reports whose processing never ran.")
    from streetlight.insight.forecasting import forecast_run, forecasts_due
    from streetlight.toolkit.forecast import ForecastInputError

    for horizon in forecasts_due(force=args.forecast_now):  # tomorrow, and the next weekend
        try:
            forecast = forecast_run(horizon=horizon)
        except ForecastInputError as exc:
            print(f"No flashpoint forecast ({horizon}): {exc}")
        else:
            when = f"{forecast.window_start:%Y-%m-%d %H:%M} to {forecast.window_end:%Y-%m-%d %H:%M}"
            print(f"Flashpoint forecast ({horizon}) for {when}: {len(forecast.cells)} cells flagged.")
    from streetlight.insight.private_release import private_releases_due

    for release in private_releases_due():
        print(f"Private open-data table for {release.quarter} published (ε = {release.epsilon:g}).")
    from streetlight.cli.retention import summary_lines
    from streetlight.reports.services.retention import retention_run

    print("\n".join(summary_lines(retention_run())))
    from streetlight.companion.services import walks_overdue_alert, walks_purge

    overdue, purged = walks_overdue_alert(), walks_purge()
    print(
        f"Walk me home: alerted {overdue.walks} overdue walks ({overdue.mailed} e-mails, {overdue.failed} failed, "
        f"{overdue.reports} control-room reports); purged {purged.purged} finished walks ({purged.positions} "
        f"positions), ended {purged.ended} by the time limits, deleted {purged.stubs} old stubs."
    )
    from streetlight.feeds.ingest import feeds_due_run
    from streetlight.feeds.services import posts_purge

    runs = feeds_due_run()
    failed = sum(run.outcome == "failed" for run in runs)
    new, signals = sum(run.new for run in runs), sum(run.signals for run in runs)
    print(
        f"Public posts: fetched {len(runs)} sources ({failed} failed), {new} new posts, {signals} signals; "
        f"purged {posts_purge()} posts past retention."
    )
    from streetlight.chat.services.purge import conversations_purge

    chats = conversations_purge()
    print(f"Chat: closed {chats.closed} idle conversations, deleted {chats.deleted} past retention.")
    from streetlight.alerts.services import alert_rules_run

    for alert in alert_rules_run():
        print(f"Warning issued by rule {alert.rule}: {alert.area_description} until {alert.expires:%Y-%m-%d %H:%M}.")
    from streetlight.cli.audit import checkpoint_report

    return checkpoint_report()  # sign the new audit entries; fails the run if the log was tampered with


def cmd_manage(args: argparse.Namespace) -> int:
    django_setup()
    manage(*args.args)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web platform")
    p.add_argument("--host", default=os.environ.get("STREETLIGHT_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("STREETLIGHT_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    p.add_argument("--no-collectstatic", action="store_true")
    p.add_argument("--no-access-log", action="store_true")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background tasks")
    p.add_argument("--batch", action="store_true", help="run the queued tasks, then stop")
    p.add_argument(
        "--interval",
        type=float,
        default=float(os.environ.get("WORKER_POLL_SECONDS", "0.1")),
        help="seconds between looks at an empty queue (default 0.1, or WORKER_POLL_SECONDS)",
    )
    p.add_argument(
        "--nice",
        type=int,
        default=int(os.environ.get("WORKER_NICE", "10")),
        help="lower the worker's CPU priority by this much (default 10, or WORKER_NICE; 0 to keep it)",
    )
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

    p = sub.add_parser("tick", help="periodic duties: escalations, daily forecast, retention (run from a timer)")
    p.add_argument("--forecast-now", action="store_true", help="make the flashpoint forecast even if not due")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("catalog", help="load the city's areas, categories or support services from a file")
    p.add_argument("what", choices=["areas", "categories", "services"])
    p.add_argument("file")
    p.add_argument("--level", default="district", help="level of the areas (district, neighbourhood…)")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
