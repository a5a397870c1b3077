"""Triage category classifier: quality on three public labelled sets, and speed end to end.

Quality: for each set, fit on train, choose C and the per-label thresholds on dev only, then score
the test split once. SafeCity is research-only: its model is trained in memory here and never
written anywhere (its size is measured on an in-memory copy, its memory use in a child process fed
through a pipe).

Speed: raw text → labels with the SafeCity model, in one batch and one text at a time, against the
targets (≥ 20,000 texts/s in batch, ≤ 0.5 ms median for one text).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .datasets import Rows, Splits, load_crisislex, load_germeval, load_safecity
from .quality import Quality, needs_human_share, quality_binary, quality_multilabel
from .report import TriageResult, markdown
from .speed import Speed, hardware
from .speed import speed as measure_speed

__all__ = [
    "Quality",
    "Rows",
    "Speed",
    "Splits",
    "TriageResult",
    "hardware",
    "load_crisislex",
    "load_germeval",
    "load_safecity",
    "markdown",
    "needs_human_share",
    "quality_binary",
    "quality_multilabel",
    "run",
]


def run() -> TriageResult:
    start = time.perf_counter()
    qualities: list[Quality] = []
    skipped: list[str] = []
    loaders: list[tuple[str, Callable[[], Splits], Callable[[str, Splits], Quality]]] = [
        ("SafeCity", load_safecity, quality_multilabel),
        ("GermEval 2018 (coarse)", load_germeval, quality_binary),
        ("CrisisLex T26 (informativeness)", load_crisislex, quality_binary),
    ]
    for name, load, score in loaders:
        try:
            splits = load()
        except (OSError, KeyError, ValueError) as exc:
            print(f"  {name}: skipped ({exc})", flush=True)
            skipped.append(f"{name}: {exc}")
            continue
        print(f"  {name}: {len(splits.train[0])} / {len(splits.dev[0])} / {len(splits.test[0])}", flush=True)
        quality = score(name, splits)
        print(quality.test.to_text(), flush=True)
        qualities.append(quality)
    human: dict[str, float] = {}
    result_speed = None
    safecity = next((q for q in qualities if q.model is not None), None)
    if safecity is not None and safecity.model and safecity.test_rows and safecity.train_rows:
        human = needs_human_share(safecity.model, safecity.test_rows)
        result_speed = measure_speed(safecity.model, safecity.test_rows[0], safecity.train_rows)
        safecity.model = None  # drop the research-only model as soon as it is measured
    return TriageResult(qualities, result_speed, hardware(), time.perf_counter() - start, human, skipped)
