"""Analysts' platform verbs: the policy report, police statistics, the platform's triage models."""

from __future__ import annotations

import argparse
import json
import sys

from streetlight.cli.base import django_setup


def cmd_report(args: argparse.Namespace) -> int:
    """The council's policy report for an area and period, as HTML and/or PDF files."""
    django_setup()
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
    django_setup()
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


def cmd_triage_models(args: argparse.Namespace) -> int:
    django_setup()
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
    django_setup()
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
    django_setup()
    from streetlight.triage import services

    try:
        services.triage_model_activate(actor=None, model_id=args.model_id)
    except services.TriageRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Model #{args.model_id} is now active.")
    return 0


def register(sub: argparse._SubParsersAction, triage: argparse._SubParsersAction) -> None:
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
    p = triage.add_parser("models", help="the platform's triage models and their held-out scores")
    p.set_defaults(func=cmd_triage_models)
    p = triage.add_parser("retrain", help="train a new platform model from the operators' labels")
    p.add_argument("--without-seed-texts", action="store_true", help="learn from the operators' labels only")
    p.add_argument("--activate", action="store_true", help="make it the active model at once")
    p.set_defaults(func=cmd_triage_retrain)
    p = triage.add_parser("activate", help="make a platform model active (or roll back to an older one)")
    p.add_argument("model_id", type=int)
    p.set_defaults(func=cmd_triage_activate)
