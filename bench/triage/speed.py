"""Speed: raw text → labels in one batch and one text at a time, the model's memory in a child
process fed through a pipe, and a plain scikit-learn pipeline as the reference."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn

from streetlight.toolkit.triage import CategoryClassifier

from ..common import hardware as common_hardware
from .datasets import Rows


@dataclass
class Speed:
    texts: int
    mean_chars: float
    batch_per_s: float
    single_p50_ms: float
    single_p99_ms: float
    suggest_p50_ms: float
    model_file_bytes: int
    model_nbytes: int
    load_ms: float
    rss_before_mb: float
    rss_after_mb: float
    sklearn_batch_per_s: float
    sklearn_single_p50_ms: float


RSS_CODE = r"""
import io, json, sys, time
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024
from streetlight.toolkit.triage import CategoryClassifier
blob = sys.stdin.buffer.read()
before = rss()
start = time.perf_counter()
model = CategoryClassifier.load(io.BytesIO(blob))
load_ms = (time.perf_counter() - start) * 1000
del blob
model.predict(["warm up: someone was staring at me on the bus"])
print(json.dumps({"before": before, "after": rss(), "load_ms": load_ms}))
"""


def sklearn_reference(train: Rows, batch: list[str], singles: list[str]) -> tuple[float, float]:
    """The same features and models as a plain scikit-learn pipeline (TfidfVectorizer word + char_wb,
    OneVsRestClassifier(LinearSVC)): what the fast predict path is measured against."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    from streetlight.toolkit.triage.model import normalize_text

    features = make_union(
        TfidfVectorizer(preprocessor=normalize_text, ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(
            preprocessor=normalize_text, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        ),
    )
    pipe = make_pipeline(features, OneVsRestClassifier(LinearSVC(C=0.1)))
    pipe.fit(train[0], MultiLabelBinarizer().fit_transform(train[1]))
    pipe.predict(batch[:1000])
    start = time.perf_counter()
    pipe.predict(batch)
    batch_per_s = len(batch) / (time.perf_counter() - start)
    latencies = []
    for t in singles:
        start = time.perf_counter()
        pipe.predict([t])
        latencies.append(time.perf_counter() - start)
    return batch_per_s, float(np.median(latencies) * 1000)


def speed(
    model: CategoryClassifier, texts: list[str], train: Rows, *, n_batch: int = 20_000, n_single: int = 2_000
) -> Speed:
    batch = [texts[i % len(texts)] for i in range(n_batch)]
    model.predict(batch[:1000])  # warm up
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        model.predict(batch)
        runs.append(time.perf_counter() - start)
    singles = batch[:n_single]
    for t in singles[:200]:
        model.predict([t])
    latencies = []
    for t in singles:
        start = time.perf_counter()
        model.predict([t])
        latencies.append(time.perf_counter() - start)
    suggest = []
    for t in singles:
        start = time.perf_counter()
        model.suggest(t)
        suggest.append(time.perf_counter() - start)
    buffer = io.BytesIO()
    model.save(buffer)  # in memory only: a model trained on research-only data is never written to disk
    blob = buffer.getvalue()
    child = subprocess.run([sys.executable, "-c", RSS_CODE], input=blob, capture_output=True, check=True)
    memory = json.loads(child.stdout.decode().strip().splitlines()[-1])
    reference_batch, reference_single = sklearn_reference(train, batch, singles[:500])
    return Speed(
        texts=n_batch,
        mean_chars=float(np.mean([len(t) for t in batch])),
        batch_per_s=n_batch / float(np.median(runs)),
        single_p50_ms=float(np.median(latencies) * 1000),
        single_p99_ms=float(np.percentile(latencies, 99) * 1000),
        suggest_p50_ms=float(np.median(suggest) * 1000),
        model_file_bytes=len(blob),
        model_nbytes=model.nbytes,
        load_ms=float(memory["load_ms"]),
        rss_before_mb=float(memory["before"]),
        rss_after_mb=float(memory["after"]),
        sklearn_batch_per_s=reference_batch,
        sklearn_single_p50_ms=reference_single,
    )


def hardware() -> str:
    return common_hardware(f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}")
