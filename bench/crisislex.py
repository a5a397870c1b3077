"""Posts analysis: relevance and information type on CrisisLex T26, in-event versus cross-event, and
the throughput of `PostAnalyser.analyse_many` with the platform's seed triage model.

Quality: `streetlight.toolkit.posts.crisislex.crisislex_evaluation` (parameters tuned on dev only, the
in-event test and the held-out events scored once). Throughput: 10,000 synthetic posts made from the
shipped seed and everyday texts, analysed in one call (language, relevance, alert type, urgency,
insecurity, sentiment). The CrisisLex folder may be absent: the quality part is then skipped.
"""

from __future__ import annotations

import os
import platform
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from bench.common import ROOT

DATA = Path(os.environ.get("STREETLIGHT_TRIAGE_DATA", str(ROOT.parent / "shared" / "data")))
FOLDER = DATA / "crisislex-t26"
_DECORATIONS = ("", "", "", " #portavera", " !!", " 😡", " 🙏", " lol", " (via the neighbourhood group)", " ...")


def run(folder: Path = FOLDER) -> dict[str, Any] | None:
    """The CrisisLex evaluation, or None when the data folder is absent."""
    from streetlight.toolkit.posts.crisislex import crisislex_evaluation

    if not folder.is_dir():
        return None
    return crisislex_evaluation(folder)


def synthetic_posts(n: int, seed: int = 7) -> list[str]:
    """`n` posts: seed report texts and everyday posts, some joined, some decorated with hashtags or emoji."""
    from streetlight.toolkit.posts.relevance import everyday_posts, seed_corpus

    rng = random.Random(seed)
    pool = [row["text"] for row in seed_corpus()] + [text for _lang, text in everyday_posts()]
    posts = []
    for _ in range(n):
        text = rng.choice(pool)
        if rng.random() < 0.2:
            text += " " + rng.choice(pool)
        posts.append(text + rng.choice(_DECORATIONS))
    return posts


def analysis_throughput(n: int = 10_000, seed: int = 7) -> dict[str, Any]:
    """Posts per second through `PostAnalyser.analyse_many` (one call, best of 3) with a triage model
    trained on the seed corpus as `streetlight demo` does (C = 1.0), and the share of the time spent
    detecting languages. Model training is timed apart and not counted."""
    from streetlight.toolkit.posts import analyse as analyse_module
    from streetlight.toolkit.posts.relevance import default_relevance_model, seed_corpus
    from streetlight.toolkit.triage import CategoryClassifier, detect_languages

    t0 = time.perf_counter()
    rows = seed_corpus()
    classifier = CategoryClassifier(C=1.0).fit([r["text"] for r in rows], [r["labels"] for r in rows])
    train_triage = time.perf_counter() - t0
    t0 = time.perf_counter()
    relevance = default_relevance_model()
    train_relevance = time.perf_counter() - t0
    analyser = analyse_module.PostAnalyser(classifier, relevance=relevance)
    posts = synthetic_posts(n, seed)
    analyser.analyse_many(posts[:200])  # warm up: the word lists compile, lingua loads its models
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        results = analyser.analyse_many(posts)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    detect_languages(posts)
    language_s = time.perf_counter() - t0
    best = min(runs)
    return {
        "posts": n,
        "seconds": best,
        "posts_per_s": n / best,
        "language_share": language_s / best,
        "relevant_share": sum(r.relevant for r in results) / n,
        "typed_share": sum(r.alert_type is not None for r in results) / n,
        "train_triage_s": train_triage,
        "train_relevance_s": train_relevance,
        "cores": os.cpu_count(),
    }


def _row(task: dict[str, Any]) -> str:
    return (
        f"| {task['task']} | {len(task['classes'])} | {task['chosen']} | {task['in_event_macro_f1']:.3f} "
        f"| {task['cross_event_macro_f1']:.3f} | {task['gap']:+.3f} | {task['majority_in_event_macro_f1']:.3f} / "
        f"{task['majority_cross_event_macro_f1']:.3f} |"
    )


def markdown(quality: dict[str, Any] | None, speed: dict[str, Any], *, measured: str) -> list[str]:
    lines = [
        "## Posts — relevance and information type (CrisisLex T26)",
        "",
        f"Measured {measured}. {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}.",
        "",
    ]
    if quality is None:
        lines += [f"CrisisLex T26 not found at `{FOLDER}`: quality not measured on this machine.", ""]
    else:
        rel = quality["relevance"]
        lines += [
            "`streetlight.toolkit.posts.RelevanceModel` (the triage classifier's features and calibrated linear "
            f"SVMs) on {quality['tweets']:,} tweets of {quality['events']} events. **In-event**: the "
            f"{quality['training_events']} training events' tweets split at random (stratified) 70 % train / 10 % "
            "dev / 20 % test. **Cross-event**: the same model on events it never saw, "
            f"{' and '.join(e.replace('_', ' ') for e in quality['held_out_events'])} (the intentional, "
            "human-induced events). C and word n-grams chosen on dev (the binary model also tunes its "
            'threshold there); the test and the held-out events scored once. Relevance: "Related and '
            'informative" against "Related - but not informative" and "Not related" ("Not applicable" '
            'dropped); information type: 6 classes ("Not labeled"/"Not applicable" dropped).',
            "",
            "| task | classes | chosen on dev | in-event macro-F1 | cross-event macro-F1 | gap | majority class "
            "(in / cross) |",
            "|---|---:|---|---:|---:|---:|---:|",
            *(_row(quality[k]) for k in ("relevance", "informativeness", "information_type")),
            "",
            f"Sizes (relevance): train {rel['sizes']['train']:,}, dev {rel['sizes']['dev']:,}, in-event test "
            f"{rel['sizes']['test']:,}, held-out {rel['sizes']['held_out']:,} tweets; information type: "
            f"held-out {quality['information_type']['sizes']['held_out']:,}. Cross-event macro-F1 per held-out "
            "event: "
            + "; ".join(
                f"{quality[k]['task']} "
                + ", ".join(
                    f"{e.split('_', 1)[1].replace('_', ' ')} {v:.3f}"
                    for e, v in quality[k]["cross_event_by_event"].items()
                )
                for k in ("relevance", "information_type")
            )
            + f". Relevance threshold {rel['threshold']:.2f}. Predicting 1,000 tweets takes "
            f"{quality['predict_ms_per_1000']:.0f} ms; the whole evaluation {quality['seconds']:.0f} s.",
            "",
            "Crowd-labelled crisis tweets are not residents' posts about urban security: the cross-event score "
            "is a floor for how a model carries over to a new kind of event, not a promise for a city's stream.",
            "",
        ]
    lines += [
        "### Analysis throughput",
        "",
        f"`PostAnalyser.analyse_many` on {speed['posts']:,} synthetic posts (seed report texts and everyday posts, "
        "some joined, some with hashtags or emoji) in one call, best of 3: language, relevance, alert type (a "
        "triage model trained on the seed corpus, C = 1.0), urgency, insecurity and sentiment.",
        "",
        "| measure | measured |",
        "|---|---:|",
        f"| posts per second | {speed['posts_per_s']:,.0f} |",
        f"| share of the time detecting languages (lingua, all cores) | {speed['language_share']:.0%} |",
        f"| posts found relevant / given an alert type | {speed['relevant_share']:.0%} / {speed['typed_share']:.0%} |",
        f"| training the default relevance model (once per process) | {speed['train_relevance_s']:.1f} s |",
    ]
    return lines
