"""`streetlight triage …`: train, evaluate and apply the triage components on row files.

`train` and `evaluate` read labelled rows (a text column and a labels column: a JSON list in
JSON-lines, `a|b` in CSV); `classify`, `redact` and `dedupe` add columns and write rows in the
input's format, so they chain:

    streetlight triage classify --model city.slm reports.jsonl | streetlight triage redact > out.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from tqdm import tqdm

from streetlight.toolkit.cli_rows import Batch, batches, error, io_arguments, run_rows, warn
from streetlight.toolkit.formats import FormatError, RowReader
from streetlight.toolkit.triage import (
    CategoryClassifier,
    DedupeItem,
    ModelFileError,
    assess_urgency,
    detect_languages,
    evaluate,
    find_duplicates,
    redact,
)

LABEL_SEPARATOR = "|"


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return value if isinstance(value, str) else "" if value is None else str(value)


def _labels(value: Any) -> list[str]:
    """A labels cell: a list (JSON-lines, GeoJSON) or `a|b` text (CSV); empty means no label."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return _labels(json.loads(text))
            except json.JSONDecodeError:
                pass
        return [part.strip() for part in text.split(LABEL_SEPARATOR) if part.strip()]
    return [] if value is None else [str(value)]


def _labelled(path: str, fmt: str | None, text_column: str, labels_column: str) -> tuple[list[str], list[list[str]]]:
    """Every row's text and labels; rows without text are skipped with a warning."""
    texts: list[str] = []
    labels: list[list[str]] = []
    with RowReader(path, fmt) as reader:
        for line, row in tqdm(reader, desc="reading", unit=" rows", disable=None, file=sys.stderr):
            text = _text(row, text_column)
            if not text.strip():
                warn(line, f"no {text_column!r}; row skipped")
                continue
            texts.append(text)
            labels.append(_labels(row.get(labels_column)))
    return texts, labels


def _load(path: str) -> CategoryClassifier:
    try:
        return CategoryClassifier.load(path)
    except OSError as exc:
        raise ModelFileError(f"{path}: {exc.strerror or exc}") from None


# -- verbs ---------------------------------------------------------------------------------------


def _train(args: argparse.Namespace) -> int:
    try:
        texts, labels = _labelled(args.input, args.format, args.text_column, args.labels_column)
        classifier = CategoryClassifier(C=args.C, confidence_floor=args.confidence_floor)
        print(f"fitting on {len(texts)} texts…", file=sys.stderr)
        classifier.fit(texts, labels)
        if args.dev:
            dev_texts, dev_labels = _labelled(args.dev, None, args.text_column, args.labels_column)
            classifier.tune_thresholds(dev_texts, dev_labels, metric=args.tune_for)
        classifier.save(args.model)
    except (OSError, FormatError, ValueError) as exc:
        return error(exc)
    print(f"saved {args.model}: {len(classifier.labels_)} labels, {len(texts)} texts", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    try:
        classifier = _load(args.model)
        texts, truth = _labelled(args.input, args.format, args.text_column, args.labels_column)
        proba = classifier.predict_proba(texts)
        predicted = classifier.predict(texts)
        labels = sorted(set(classifier.labels_) | {label for row in truth for label in row})
        result = evaluate(truth, predicted, proba=proba, labels=list(classifier.labels_) or labels)
    except (OSError, FormatError, ValueError) as exc:
        return error(exc)
    report = result.to_dict()
    if args.json == "-":
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(result.to_text())
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(report, out, indent=2)
    return 0


def _classify(args: argparse.Namespace) -> int:
    try:
        classifier = _load(args.model)
    except ModelFileError as exc:
        return error(exc)

    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        for batch in _progress(batches(reader)):
            texts = [_text(row, args.text_column) for _line, row in batch]
            languages = detect_languages(texts)
            for (_line, row), text, language in zip(batch, texts, languages, strict=True):
                suggestion = classifier.suggest(text)
                urgency = assess_urgency(text, language=None if language.code == "other" else language.code)
                row["category"] = suggestion.best[0] if suggestion.best else None
                row["confidence"] = round(suggestion.best[1], 4) if suggestion.best else None
                row["categories"] = list(suggestion.chosen)
                row["needs_human"] = suggestion.needs_human
                row["language"] = language.code
                row["urgency"] = urgency.level
                row["urgency_cues"] = sorted({cue.kind for cue in urgency.cues})
                yield row

    return run_rows(args, rows)


def _redact(args: argparse.Namespace) -> int:
    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        for batch in _progress(batches(reader)):
            for _line, row in batch:
                redaction = redact(_text(row, args.text_column))
                row[args.text_column] = redaction.text
                row["redacted"] = sorted({span.kind for span in redaction.spans})
                yield row

    return run_rows(args, rows)


def _when(value: Any, line: int, column: str) -> datetime | None:
    if isinstance(value, str) and value.strip():
        try:
            when = datetime.fromisoformat(value.strip())
            if when.tzinfo is not None:
                return when
        except ValueError:
            pass
    warn(line, f"{column!r} is not an ISO-8601 time with an offset; row not compared")
    return None


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _dedupe(args: argparse.Namespace) -> int:
    """Reads every row first (duplicates can be anywhere in the file), then writes them back with
    `duplicate_of` (the id of the earliest similar row) and `duplicate_score`."""

    def rows(reader: RowReader) -> Iterator[dict[str, Any]]:
        kept: Batch = [item for batch in batches(reader) for item in batch]
        items: list[DedupeItem[str]] = []
        for line, row in kept:
            when = _when(row.get(args.when_column), line, args.when_column)
            if when is not None:
                items.append(
                    DedupeItem(
                        id=str(row.get(args.id_column) or line),
                        text=_text(row, args.text_column),
                        when=when,
                        lat=_number(row.get(args.lat_column)),
                        lon=_number(row.get(args.lon_column)),
                    )
                )
        pairs = find_duplicates(
            items,
            min_similarity=args.min_similarity,
            max_distance_m=args.max_distance_m,
            window=timedelta(hours=args.window_hours),
        )
        order = {item.id: i for i, item in enumerate(items)}
        best: dict[str, tuple[str, float]] = {}
        for pair in pairs:
            first, later = sorted((pair.a, pair.b), key=lambda key: order[key])
            if later not in best or pair.score > best[later][1]:
                best[later] = (first, pair.score)
        for line, row in kept:
            match = best.get(str(row.get(args.id_column) or line))
            row["duplicate_of"] = match[0] if match else None
            row["duplicate_score"] = round(match[1], 4) if match else None
            yield row

    return run_rows(args, rows)


def _progress(iterable: Iterator[Batch]) -> Iterator[Batch]:
    """A progress bar on standard error when it is a terminal (never inside a pipe's output)."""
    with tqdm(desc="triage", unit=" rows", disable=None, file=sys.stderr) as bar:
        for batch in iterable:
            yield batch
            bar.update(len(batch))


# -- command line --------------------------------------------------------------------------------


def _labelled_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="labelled rows: CSV, JSON-lines or GeoJSON")
    parser.add_argument("--format", choices=["csv", "jsonl", "geojson"], help="input format (default: from extension)")
    parser.add_argument("--text-column", default="text", help="text column (default: text)")
    parser.add_argument("--labels-column", default="labels", help="labels column: a list, or a|b in CSV")


def _unit_float(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse._SubParsersAction[Any]:
    """Add the `triage` command and its verbs; returns its verbs so the platform can add its own."""
    triage = subparsers.add_parser("triage", help="categories, language, urgency, redaction, duplicates")
    verbs = triage.add_subparsers(dest="triage_verb", required=True, metavar="VERB")

    train = verbs.add_parser("train", help="fit a category model on labelled rows")
    _labelled_arguments(train)
    train.add_argument("--model", required=True, help="where to write the model file")
    train.add_argument("--dev", help="labelled rows to tune each category's threshold on (not the test set)")
    train.add_argument("--tune-for", choices=["f1", "accuracy"], default="f1", help="threshold goal (default: f1)")
    train.add_argument("--C", type=float, default=0.1, help="inverse regularisation (default: 0.1)")
    train.add_argument(
        "--confidence-floor", type=_unit_float, default=0.5, help="below it, 'needs a human' (default: 0.5)"
    )
    train.set_defaults(func=_train)

    ev = verbs.add_parser("evaluate", help="score a model on labelled rows it was not trained on")
    _labelled_arguments(ev)
    ev.add_argument("--model", required=True)
    ev.add_argument("--json", help="also write the scores as JSON to this file (- for JSON only, on stdout)")
    ev.set_defaults(func=_evaluate)

    classify = verbs.add_parser(
        "classify", help="add category, confidence, categories, needs_human, language, urgency, urgency_cues"
    )
    classify.add_argument("--model", required=True)
    classify.add_argument("--text-column", default="text")
    io_arguments(classify)
    classify.set_defaults(func=_classify)

    red = verbs.add_parser("redact", help="replace personal data in the text column; add 'redacted' (what)")
    red.add_argument("--text-column", default="text")
    io_arguments(red)
    red.set_defaults(func=_redact)

    dedupe = verbs.add_parser("dedupe", help="add duplicate_of and duplicate_score (similar, near, close in time)")
    dedupe.add_argument("--text-column", default="text")
    dedupe.add_argument("--id-column", default="id")
    dedupe.add_argument("--when-column", default="when")
    dedupe.add_argument("--min-similarity", type=_unit_float, default=0.5)
    dedupe.add_argument("--max-distance-m", type=float, default=300.0)
    dedupe.add_argument("--window-hours", type=float, default=48.0)
    io_arguments(dedupe)
    dedupe.set_defaults(func=_dedupe)
    return verbs


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m streetlight.toolkit.cli_triage triage classify ...`."""
    parser = argparse.ArgumentParser(prog="python -m streetlight.toolkit.cli_triage")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
