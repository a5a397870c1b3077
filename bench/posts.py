"""Posts: geotagging quality and speed, burst-detector speed and latency (toolkit.posts).

One function per measurement, each returning a small dataclass, so the section grows by adding a
function (the classification figures go beside these) and a table in `markdown`:

- `geotag_quality`: precision and recall on tests/toolkit/data/geotag_posts.jsonl (225 labelled posts
  in five languages, 20 % naming no place), counting every place `geotag` returns, and `best` alone;
- `geotag_speed`: posts/s through `Gazetteer.geotag` over 20,000 posts, against the demo gazetteer and a
  synthetic 5,000-place one; ceiling: folding and splitting the same posts into words, the least any
  word matcher must do;
- `burst_speed`: `BurstDetector.add` calls/s over 200,000 posts about 50,000 places, and the time of the
  call that crosses the threshold (the latency from that post to the Burst); ceiling: a dict of deques
  with an append and a trim per post, the least a sliding window needs.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from streetlight.toolkit.posts import BurstDetector, Gazetteer, Place
from streetlight.toolkit.posts.words import fold, tokens

from .common import ROOT
from .common import hardware as common_hardware

DEMO = ROOT / "src" / "streetlight" / "demo" / "data" / "gazetteer.csv"
FIXTURE = ROOT / "tests" / "toolkit" / "data" / "geotag_posts.jsonl"
N_POSTS = 20_000
N_SYNTHETIC_PLACES = 5_000
N_BURST_EVENTS = 200_000
N_BURST_PLACES = 50_000  # e.g. H3 cells or street segments of a large city


@dataclass(frozen=True)
class Quality:
    posts: int
    precision: float
    recall: float
    best_precision: float
    best_recall: float


@dataclass(frozen=True)
class Speed:
    label: str
    places: int
    posts: int
    per_s: float
    ceiling_per_s: float


@dataclass(frozen=True)
class BurstSpeed:
    events: int
    bursts: int
    per_s: float
    ceiling_per_s: float
    add_p50_us: float
    crossing_p50_us: float
    crossing_p99_us: float


@dataclass(frozen=True)
class PostsResult:
    quality: Quality
    speeds: list[Speed]
    bursts: BurstSpeed
    hardware: str


def _fixture() -> list[dict[str, object]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def geotag_quality(gazetteer: Gazetteer) -> Quality:
    """Micro-averaged over place labels: every match counts (a post may name two places)."""
    counts = {"all": [0, 0, 0], "best": [0, 0, 0]}
    rows = _fixture()
    for row in rows:
        text, language = str(row["text"]), str(row["language"])
        expected = set(row["places"])  # type: ignore[call-overload]
        matches = gazetteer.geotag(text, language)
        for key, found in (("all", {m.place.name for m in matches}), ("best", {m.place.name for m in matches[:1]})):
            counts[key][0] += len(found & expected)
            counts[key][1] += len(found - expected)
            counts[key][2] += len(expected - found)

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    (tp, fp, fn), (btp, bfp, bfn) = counts["all"], counts["best"]
    return Quality(len(rows), ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(btp, btp + bfp), ratio(btp, btp + bfn))


def synthetic_gazetteer(n: int = N_SYNTHETIC_PLACES, seed: int = 5) -> Gazetteer:
    """n invented places: typed street names from syllables, each with two aliases."""
    rng = random.Random(seed)
    syllables = "ba be bi bo ca ce co da de di do fa fe fi ga gi la le li lo ma me mi mo na ne no pa pe ri ro sa se ta"
    parts = syllables.split()
    types = ["Via", "Piazza", "Corso", "Viale", "Largo", "Vicolo", "Parco", "Ponte"]
    places = []
    for _ in range(n):
        core = "".join(rng.choice(parts) for _ in range(rng.randint(2, 4))).capitalize()
        name = f"{rng.choice(types)} {rng.choice(['', 'dei ', 'del ', 'delle '])}{core}"
        aliases = (f"rue {core}", f"{core}straat")
        places.append(Place(name, "street", 45.0 + rng.random() / 10, 7.6 + rng.random() / 10, None, aliases))
    return Gazetteer(places)


def sample_posts(gazetteer: Gazetteer, n: int = N_POSTS, seed: int = 7) -> list[tuple[str, str]]:
    """The fixture's posts, and as many again made by putting random places of `gazetteer` into them."""
    rng = random.Random(seed)
    rows = _fixture()
    base = [(str(r["text"]), str(r["language"])) for r in rows]
    out = []
    for i in range(n):
        text, language = base[i % len(base)]
        if i % 2:
            text = f"{text} — {rng.choice(gazetteer.places).name}"
        out.append((text, language))
    return out


def geotag_speed(label: str, gazetteer: Gazetteer, posts: list[tuple[str, str]]) -> Speed:
    """Best of 3 passes for each, so a background hiccup does not decide the figure."""

    def best_rate(work: object) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            work()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return len(posts) / min(times)

    def ceiling() -> None:
        for text, _language in posts:
            tokens(fold(text)[0])

    def measured() -> None:
        for text, language in posts:
            gazetteer.geotag(text, language)

    return Speed(label, len(gazetteer), len(posts), best_rate(measured), best_rate(ceiling))


def burst_stream(n: int = N_BURST_EVENTS, places: int = N_BURST_PLACES, seed: int = 11) -> list[tuple[str, datetime]]:
    """A day of posts: a quiet background over `places`, plus planted bursts of 3-8 posts in minutes."""
    rng = random.Random(seed)
    start = datetime(2026, 5, 5, tzinfo=UTC)
    events = [(f"P{rng.randrange(places)}", start + timedelta(seconds=rng.uniform(0, 86_400))) for _ in range(n)]
    for _ in range(n // 100):
        place, at = f"P{rng.randrange(places)}", start + timedelta(seconds=rng.uniform(0, 86_000))
        events += [(place, at + timedelta(seconds=rng.uniform(0, 600))) for _ in range(rng.randint(3, 8))]
    return sorted(events, key=lambda e: e[1])[:n]


def burst_speed(events: list[tuple[str, datetime]] | None = None) -> BurstSpeed:
    """Throughput of `add` over the stream, and each call timed on its own for the latency."""
    events = events or burst_stream()
    # The background rate each place really has, so bursts are the planted ones (and background luck).
    baseline = len(events) / N_BURST_PLACES / 24
    detector = BurstDetector(baseline_per_hour=baseline)
    start = time.perf_counter()
    for place, at in events:
        detector.add(place, at)
    per_s = len(events) / (time.perf_counter() - start)

    window = timedelta(minutes=30)
    queues: dict[str, deque[datetime]] = {}
    start = time.perf_counter()
    for place, at in events:
        queue = queues.setdefault(place, deque())
        queue.append(at)
        while queue[0] <= at - window:
            queue.popleft()
    ceiling_per_s = len(events) / (time.perf_counter() - start)

    detector = BurstDetector(baseline_per_hour=baseline)
    clock = time.perf_counter_ns
    all_calls: list[int] = []
    crossing: list[int] = []
    for place, at in events:
        t0 = clock()
        burst = detector.add(place, at)
        elapsed = clock() - t0
        all_calls.append(elapsed)
        if burst is not None:
            crossing.append(elapsed)
    crossing.sort()
    return BurstSpeed(
        events=len(events),
        bursts=len(crossing),
        per_s=per_s,
        ceiling_per_s=ceiling_per_s,
        add_p50_us=statistics.median(all_calls) / 1000,
        crossing_p50_us=statistics.median(crossing) / 1000 if crossing else 0.0,
        crossing_p99_us=crossing[min(len(crossing) - 1, int(0.99 * len(crossing)))] / 1000 if crossing else 0.0,
    )


def run() -> PostsResult:
    import feedparser
    import scipy

    demo = Gazetteer.from_csv(DEMO)
    synthetic = synthetic_gazetteer()
    speeds = [
        geotag_speed("demo city", demo, sample_posts(demo)),
        geotag_speed("synthetic", synthetic, sample_posts(synthetic)),
    ]
    libraries = f"scipy {scipy.__version__}, feedparser {feedparser.__version__}"
    return PostsResult(geotag_quality(demo), speeds, burst_speed(), common_hardware(libraries))


def markdown(r: PostsResult, *, measured: str) -> list[str]:
    q, b = r.quality, r.bursts
    return [
        "## Posts",
        "",
        f"Measured {measured}. {r.hardware}.",
        "",
        f"**Geotagging quality** on the {q.posts} labelled posts of `tests/toolkit/data/geotag_posts.jsonl` "
        "(Portavera's gazetteer, five languages, a fifth naming no place, some near misses and typos), "
        "micro-averaged over place labels. The test suite holds precision ≥ 0.95 and recall ≥ 0.95.",
        "",
        "| matches counted | precision | recall |",
        "|---|---:|---:|",
        f"| every place `geotag` returns | {q.precision:.3f} | {q.recall:.3f} |",
        f"| only the best (`best`) | {q.best_precision:.3f} | {q.best_recall:.3f} |",
        "",
        "**Geotagging speed**: posts per second through `Gazetteer.geotag` (best of 3 passes). Ceiling: "
        "folding the same posts (case, accents) and splitting them into words, which any word matcher does.",
        "",
        "| gazetteer | places | posts | posts/s | ceiling posts/s | ratio |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {s.label} | {s.places:,} | {s.posts:,} | {s.per_s:,.0f} | {s.ceiling_per_s:,.0f} | "
            f"{s.per_s / s.ceiling_per_s:.2f} |"
            for s in r.speeds
        ),
        "",
        f"**Burst detection**: {b.events:,} posts about {N_BURST_PLACES:,} places over a day, with planted "
        f"bursts; 30-minute window, min_count 3, baseline = the stream's mean rate per place, alpha 0.001; "
        f"{b.bursts:,} bursts raised. Ceiling: a dict of "
        "deques with one append and trim per post. Latency: the duration of the `add` call for the post that "
        "crosses the threshold, i.e. from that post to the Burst in hand.",
        "",
        "| measure | measured | ceiling | ratio |",
        "|---|---:|---:|---:|",
        f"| posts/s through `BurstDetector.add` | {b.per_s:,.0f} | {b.ceiling_per_s:,.0f} | "
        f"{b.per_s / b.ceiling_per_s:.2f} |",
        f"| latency, crossing call, p50 | {b.crossing_p50_us:.1f} µs | | |",
        f"| latency, crossing call, p99 | {b.crossing_p99_us:.1f} µs | | |",
        f"| any `add` call, p50 | {b.add_p50_us:.1f} µs | | |",
    ]
