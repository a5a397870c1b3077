"""The triage bench's result and its section of docs/benchmarks.md."""

from __future__ import annotations

from dataclasses import dataclass

from .quality import C_GRID, Quality
from .speed import Speed

BATCH_TARGET = 20_000.0  # texts per second, one process
SINGLE_TARGET_MS = 0.5  # median, one text
SAFECITY_ACC_TARGET = 0.87  # mean per-label accuracy
SAFECITY_F1_TARGET = 0.72  # macro-F1 over the three labels


@dataclass
class TriageResult:
    qualities: list[Quality]
    speed: Speed | None
    hardware: str
    seconds: float
    human: dict[str, float]
    skipped: list[str]


def _ratio(value: float, target: float) -> str:
    return f"{value / target:.2f}"


def markdown(result: TriageResult, *, measured: str) -> list[str]:
    lines = [
        "## Triage — category classifier",
        "",
        f"Measured {measured}. {result.hardware}. Whole triage bench: {result.seconds:.0f} s.",
        "",
        "`streetlight.toolkit.triage.CategoryClassifier`: word 1–2-grams + character 2–5-grams (TF-IDF, "
        "sublinear tf), one linear SVM per label with Platt-calibrated probabilities. For each set: fit on "
        f"train, choose C in {{{', '.join(map(str, C_GRID))}}} and one threshold per label on dev, score the "
        "test split once.",
        "",
    ]
    for q in result.qualities:
        t = q.test
        lines += [
            f"### {q.name}",
            "",
            f"{q.note}; train {q.sizes[0]:,}, dev {q.sizes[1]:,}, test {q.sizes[2]:,} texts. Chosen on dev: "
            f"C = {q.C}, thresholds tuned for {q.tune_metric} ("
            + ", ".join(f"{k} {v:.2f}" for k, v in q.thresholds.items())
            + f"), dev score {q.dev_score:.3f}.",
            "",
        ]
        if q.extra:
            e = q.extra
            lines += [
                "| test metric | measured | reference | ratio to reference |",
                "|---|---:|---:|---:|",
                f"| two-class macro-F1 | {e['macro_f1']:.3f} | majority class {e['majority_macro_f1']:.3f} | "
                f"{_ratio(e['macro_f1'], e['majority_macro_f1'])} |",
                f"| accuracy | {e['accuracy']:.3f} | majority class {e['majority_accuracy']:.3f} | "
                f"{_ratio(e['accuracy'], e['majority_accuracy'])} |",
            ]
            if q.name.startswith("GermEval"):
                lines += [
                    f"| Average F (harmonic mean of macro P and R, the shared task's ranking metric) | "
                    f"{e['average_f']:.3f} | best of 51 runs 0.768 | {_ratio(e['average_f'], 0.7677)} |",
                    f"| accuracy vs best run | {e['accuracy']:.3f} | best run 0.795 | "
                    f"{_ratio(e['accuracy'], 0.7953)} |",
                ]
            (label,) = t.per_label
            lines += [
                f"| F1 of `{label.label}` | {label.f1:.3f} | — | — |",
                f"| Brier score / ECE (calibration) | {t.brier:.3f} / {t.ece:.3f} | — | — |",
                "",
            ]
            continue
        acc_status = "reached" if t.mean_label_accuracy >= SAFECITY_ACC_TARGET else "NOT reached"
        f1_status = "reached" if t.macro_f1 >= SAFECITY_F1_TARGET else "NOT reached"
        lines += [
            "| test metric | measured | target | ratio to target | reference |",
            "|---|---:|---:|---:|---|",
            f"| mean per-label accuracy (= 1 − Hamming loss) | {t.mean_label_accuracy:.3f} | "
            f"≥ {SAFECITY_ACC_TARGET} | {_ratio(t.mean_label_accuracy, SAFECITY_ACC_TARGET)} ({acc_status}) | "
            "TF-IDF + linear SVM baseline 0.835 |",
            f"| macro-F1 | {t.macro_f1:.3f} | ≥ {SAFECITY_F1_TARGET} | {_ratio(t.macro_f1, SAFECITY_F1_TARGET)} "
            f"({f1_status}) | baseline 0.687 |",
            f"| Hamming score (mean Jaccard per text) | {t.hamming_score:.3f} | — | — | paper's multi-label CNN-RNN "
            '"Hamming score" 0.825 (its definition is not stated in the abstract: Jaccard or 1 − Hamming loss) |',
            f"| subset accuracy (exact label set) | {t.subset_accuracy:.3f} | — | — | |",
            f"| micro-F1 | {t.micro_f1:.3f} | — | — | |",
            f"| Brier score / ECE (calibration) | {t.brier:.3f} / {t.ece:.3f} | — | — | |",
            "",
            "| label | precision | recall | F1 | accuracy | support | reference accuracy (baseline) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        baseline = {"commenting": 0.824, "ogling": 0.824, "groping": 0.858}
        for s in t.per_label:
            lines.append(
                f"| {s.label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.accuracy:.3f} | {s.support} | "
                f"{baseline.get(s.label, float('nan')):.3f} |"
            )
        lines += [
            "",
            "Label noise bounds these figures: experts who re-labelled 200 SafeCity training reports disagreed with "
            "the original labels on 22.0 % (commenting), 21.5 % (ogling) and 14.0 % (groping) of them (see the "
            "data's SOURCE.md), and 107 test texts also appear in train.",
        ]
        if result.human:
            h = result.human
            lines += [
                "",
                f"Confidence floor {h['floor']:.2f}: {h['share']:.1%} of the test texts are sent to a person; on the "
                f"others, mean per-label accuracy {h['kept_accuracy']:.3f} and macro-F1 {h['kept_macro_f1']:.3f}.",
            ]
        lines.append("")
    if result.speed is not None:
        sp = result.speed
        lines += [
            "### Speed (SafeCity model, raw text → labels)",
            "",
            f"{sp.texts:,} SafeCity test texts (repeated; {sp.mean_chars:.0f} characters on average). Batch: one "
            "`predict` call, median of 3 runs. One text: `predict([text])` timed 2,000 times.",
            "",
            "| measure | measured | target | ratio to target |",
            "|---|---:|---:|---:|",
            f"| batch throughput | {sp.batch_per_s:,.0f} texts/s | ≥ {BATCH_TARGET:,.0f} texts/s | "
            f"{sp.batch_per_s / BATCH_TARGET:.2f} ({'within' if sp.batch_per_s >= BATCH_TARGET else 'NOT within'}) |",
            f"| one text, median | {sp.single_p50_ms:.3f} ms | ≤ {SINGLE_TARGET_MS} ms | "
            f"{sp.single_p50_ms / SINGLE_TARGET_MS:.2f} "
            f"({'within' if sp.single_p50_ms <= SINGLE_TARGET_MS else 'OVER'}) |",
            f"| one text, p99 | {sp.single_p99_ms:.3f} ms | — | — |",
            f"| `suggest(text)`, median | {sp.suggest_p50_ms:.3f} ms | — | — |",
            "",
            "Reference, same machine and run: the same features and models as a plain scikit-learn pipeline "
            "(`TfidfVectorizer` word + char_wb, `OneVsRestClassifier(LinearSVC)`) classify "
            f"{sp.sklearn_batch_per_s:,.0f} texts/s in batch and take {sp.sklearn_single_p50_ms:.3f} ms for one "
            f"text (median); ours has {sp.batch_per_s / sp.sklearn_batch_per_s:.1f}× its throughput and "
            f"{sp.single_p50_ms / sp.sklearn_single_p50_ms:.2f}× its latency.",
            "",
            f"Memory: model file {sp.model_file_bytes / 1e6:.1f} MB (measured in memory, never written), "
            f"{sp.model_nbytes / 1e6:.1f} MB of arrays and vocabulary once loaded; a fresh process grows from "
            f"{sp.rss_before_mb:.0f} MB to {sp.rss_after_mb:.0f} MB RSS when it loads the model "
            f"({sp.load_ms:.0f} ms) and classifies one text.",
            "",
        ]
    for item in result.skipped:
        lines += [f"Skipped: {item}", ""]
    return lines
