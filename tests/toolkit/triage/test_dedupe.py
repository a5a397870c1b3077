"""Near-duplicate reports: the three conditions (text, place, time), the blocking that makes 100k
reports affordable (checked against comparing every pair), and awkward inputs."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from streetlight.toolkit.geo.coords import haversine_m
from streetlight.toolkit.triage.dedupe import DedupeItem, DuplicatePair, _vectors, find_duplicates, similar_to

T0 = datetime(2025, 3, 1, 21, 0, tzinfo=UTC)
BRUSSELS = (50.8467, 4.3525)


def item(id: str, text: str, minutes: float = 0.0, north_m: float = 0.0, place: bool = True) -> DedupeItem:
    lat = BRUSSELS[0] + north_m / 111_195.0 if place else None
    return DedupeItem(id, text, T0 + timedelta(minutes=minutes), lat, BRUSSELS[1] if place else None)


def pair_ids(pairs: list[DuplicatePair]) -> set[frozenset[object]]:
    return {frozenset((p.a, p.b)) for p in pairs}


RETELLINGS = {
    "en": ("Someone stole my bike in front of the station", "My bike was stolen in front of the station!"),
    "fr": ("Un homme m'a suivie depuis la gare jusqu'à chez moi", "un homme ma suivi depuis la gare jusqu a chez moi"),
    "nl": ("Vechtpartij voor café De Kroon, drie mannen", "vechtpartij bij cafe de kroon met 3 mannen"),
    "it": ("Ragazzi che urlano sotto casa ogni sera", "ogni sera ragazzi urlano sotto casa mia"),
    "es": ("Me robaron el bolso en la parada del autobús", "Me han robado el bolso en la parada de autobus"),
}
UNRELATED = {
    "en": "A man shouted at me near the park at night",
    "fr": "Des jeunes font du bruit tous les soirs sous mes fenêtres",
    "nl": "Mijn fiets is gestolen bij het station",
    "it": "Mi hanno rubato la bici vicino alla stazione",
    "es": "Hay jóvenes gritando en la plaza todas las noches",
}


@pytest.mark.parametrize("lang", sorted(RETELLINGS))
def test_a_retelling_nearby_is_a_duplicate_and_an_unrelated_report_is_not(lang: str) -> None:
    first, second = RETELLINGS[lang]
    items = [item("a", first), item("b", second, minutes=20, north_m=40), item("c", UNRELATED[lang], minutes=5)]
    pairs = find_duplicates(items)
    assert pair_ids(pairs) == {frozenset(("a", "b"))}
    (p,) = pairs
    assert (p.a, p.b) == ("a", "b")
    assert p.similarity >= 0.6
    assert p.distance_m == pytest.approx(40, abs=1)
    assert p.seconds_apart == 1200


def test_same_text_too_far_away_or_too_late_is_not_a_duplicate() -> None:
    text = "Fight outside the bar, two men bleeding"
    items = [item("a", text), item("far", text, north_m=1_000), item("late", text, minutes=25 * 60)]
    assert find_duplicates(items, max_distance_m=250, window=timedelta(hours=24)) == []
    wider = find_duplicates(items, max_distance_m=2_000, window=timedelta(hours=26))
    assert pair_ids(wider) == {frozenset(p) for p in [("a", "far"), ("a", "late"), ("far", "late")]}


def test_without_a_place_only_text_and_time_count() -> None:
    text = "Fight outside the bar, two men bleeding"
    items = [item("placed", text), item("unplaced", text, minutes=30, place=False), item("far", text, north_m=5_000)]
    pairs = find_duplicates(items)
    assert pair_ids(pairs) == {frozenset(("placed", "unplaced")), frozenset(("unplaced", "far"))}
    assert all(p.distance_m is None for p in pairs)


def test_max_distance_none_ignores_places() -> None:
    text = "Fight outside the bar, two men bleeding"
    items = [item("a", text), item("b", text, north_m=50_000)]
    assert pair_ids(find_duplicates(items, max_distance_m=None)) == {frozenset(("a", "b"))}


def test_the_earlier_report_comes_first_and_pairs_are_ranked_by_score() -> None:
    text = "Broken street light on the corner, very dark"
    items = [item("late", text, minutes=600, north_m=200), item("early", text), item("close", text, minutes=1)]
    pairs = find_duplicates(items)
    assert all(p.a == "early" or (p.a == "close" and p.b == "late") for p in pairs)
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert (pairs[0].a, pairs[0].b) == ("early", "close")  # nearest in time and space


def test_naive_and_aware_times_mix_naive_being_utc() -> None:
    aware = DedupeItem(1, "Car window smashed in the night", datetime(2025, 3, 1, 10, 0, tzinfo=UTC), 50.0, 4.0)
    naive = DedupeItem(2, "car window smashed in the night!", datetime(2025, 3, 1, 11, 0), 50.0, 4.0)
    (p,) = find_duplicates([aware, naive])
    assert p.seconds_apart == 3600


def test_invalid_positions_count_as_no_place() -> None:
    text = "Drug dealing at the playground again"
    items = [
        DedupeItem("nan", text, T0, float("nan"), 4.0),
        DedupeItem("out", text, T0, 123.0, 4.0),
        DedupeItem("ok", text, T0, 50.0, 4.0),
    ]
    pairs = find_duplicates(items)
    assert len(pairs) == 3
    assert all(p.distance_m is None for p in pairs)


@pytest.mark.parametrize(
    "kwargs",
    [{"min_similarity": 1.5}, {"max_distance_m": -1.0}, {"max_distance_m": float("nan")}, {"window": timedelta(-1)}],
)
def test_impossible_thresholds_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        find_duplicates([item("a", "x"), item("b", "x")], **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        similar_to(item("a", "x"), [item("b", "x")], **kwargs)  # type: ignore[arg-type]


def test_empty_emoji_binary_huge_and_mixed_texts_are_answered() -> None:
    huge = "Il y a du bruit tous les soirs devant le bar. " * 3000  # ~140 kB
    items = [
        item("empty1", ""),
        item("empty2", "", minutes=1),
        item("emoji", "😡😡😡🚨"),
        item("binary", "\x00\x01\x02\xff\xfe\ud800"),
        item("huge1", huge),
        item("huge2", huge + " Encore ce soir.", minutes=3),
        item("mixed", "Ik sta bij het station, there is a man with a knife"),
    ]
    pairs = pair_ids(find_duplicates(items))
    assert frozenset(("huge1", "huge2")) in pairs
    assert frozenset(("empty1", "empty2")) not in pairs  # nothing to compare is not "alike"
    assert not any("mixed" in p for p in pairs)


def test_nothing_or_one_item_gives_no_pairs() -> None:
    assert find_duplicates([]) == []
    assert find_duplicates([item("a", "x")]) == []
    assert similar_to(item("a", "x"), []) == []


# --- similar_to ---------------------------------------------------------------------------------


def test_similar_to_finds_the_open_reports_about_the_same_incident() -> None:
    new = item("new", "Un homme m'a suivie depuis la gare jusqu'à chez moi", minutes=30)
    open_reports = [
        item("same", "un homme ma suivi depuis la gare jusqu a chez moi", north_m=60),
        item("self", new.text, minutes=30),
        item("other", "Des jeunes font du bruit tous les soirs sous mes fenêtres"),
        item("far", new.text, north_m=3_000),
        item("old", new.text, minutes=-3 * 24 * 60),
        item("new", new.text, minutes=30),  # the new report itself, already stored
    ]
    found = similar_to(new, open_reports)
    assert [p.b for p in found] == ["self", "same"]
    assert all(p.a == "new" for p in found)
    assert found[0].similarity == pytest.approx(1.0)


def test_similar_to_agrees_with_find_duplicates() -> None:
    rng = random.Random(11)
    items = random_items(rng, 150)
    for probe in items[:10]:
        expected = {
            p.b if p.a == probe.id else p.a
            for p in find_duplicates(items, min_similarity=0.5)
            if probe.id in (p.a, p.b)
        }
        assert {p.b for p in similar_to(probe, items, min_similarity=0.5)} == expected


# --- blocking never changes the answer ----------------------------------------------------------

PHRASES = [
    "bike stolen at the station",
    "man shouting at women",
    "fight outside the bar",
    "broken street light",
    "vélo volé devant la gare",
    "fiets gestolen bij het station",
    "lampione rotto in piazza",
    "pelea delante del bar",
]


def random_items(rng: random.Random, n: int) -> list[DedupeItem]:
    out = []
    for k in range(n):
        placed = rng.random() < 0.85
        text = rng.choice(PHRASES) + (" " + rng.choice(PHRASES) if rng.random() < 0.3 else "") + rng.choice(["", "!"])
        out.append(
            DedupeItem(
                k,
                text,
                T0 + timedelta(minutes=rng.uniform(0, 3 * 24 * 60)),
                50.85 + rng.uniform(-0.01, 0.01) if placed else None,
                4.35 + rng.uniform(-0.01, 0.01) if placed else None,
            )
        )
    return out


def every_pair(
    items: list[DedupeItem], min_similarity: float, max_distance_m: float | None, window: timedelta
) -> set[frozenset[object]]:
    """The definition, checked on all n·(n-1)/2 pairs."""
    x = _vectors([it.text for it in items])
    sims = (x @ x.T).toarray()
    out = set()
    for i, j in itertools.combinations(range(len(items)), 2):
        a, b = items[i], items[j]
        if abs((a.when - b.when).total_seconds()) > window.total_seconds():
            continue
        if max_distance_m is not None and a.lat is not None and b.lat is not None:
            assert a.lon is not None and b.lon is not None
            if haversine_m(a.lat, a.lon, b.lat, b.lon) > max_distance_m:
                continue
        if sims[i, j] >= min_similarity:
            out.add(frozenset((a.id, b.id)))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_blocking_finds_exactly_the_pairs_of_an_exhaustive_comparison(seed: int) -> None:
    rng = random.Random(seed)
    items = random_items(rng, 250)
    max_distance_m = [100.0, 400.0, 1500.0, None][seed % 4]
    window = timedelta(hours=[1, 6, 24][seed % 3])
    min_similarity = [0.5, 0.7, 0.9][seed % 3]
    found = find_duplicates(items, min_similarity=min_similarity, max_distance_m=max_distance_m, window=window)
    expected = every_pair(items, min_similarity, max_distance_m, window)
    assert expected  # the draw must contain pairs, or the comparison proves nothing
    assert pair_ids(found) == expected


# --- scale --------------------------------------------------------------------------------------

SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]


def random_text(rng: np.random.Generator) -> str:
    words = rng.integers(0, len(SYLLABLES), size=(rng.integers(8, 16), 3))
    return " ".join("".join(SYLLABLES[s] for s in w) for w in words)


def test_100k_open_reports_complete_and_every_planted_duplicate_is_found() -> None:
    """100,000 reports over a 13 × 13 km city and 30 days, 1 % without a place, plus 150 planted
    retellings (upper-cased, re-punctuated or missing a word, up to 40 m and 2 h away). Random
    texts share almost no trigrams, so the answer must be exactly the planted pairs."""
    rng = np.random.default_rng(2025)
    n = 100_000
    seconds = rng.uniform(0, 30 * 86_400, n)
    lats = 50.79 + rng.uniform(0, 0.12, n)
    lons = 4.25 + rng.uniform(0, 0.18, n)
    placed = rng.random(n) > 0.01
    items: list[DedupeItem[int | str]] = [
        DedupeItem(k, random_text(rng), T0 + timedelta(seconds=float(seconds[k])), *(
            (float(lats[k]), float(lons[k])) if placed[k] else (None, None)
        ))
        for k in range(n)
    ]  # fmt: skip
    planted = set()
    for p, k in enumerate(rng.choice(np.flatnonzero(placed), 150, replace=False).tolist()):
        base = items[k]
        assert base.lat is not None and base.lon is not None
        words = base.text.split()
        text = [base.text.upper(), base.text.replace(" ", ", ", 2) + " !!", " ".join(words[:3] + words[4:])][p % 3]
        items.append(
            DedupeItem(
                f"dup{p}",
                text,
                base.when + timedelta(minutes=float(rng.uniform(-120, 120))),
                base.lat + float(rng.uniform(-2.5e-4, 2.5e-4)),
                base.lon + float(rng.uniform(-2.5e-4, 2.5e-4)),
            )
        )
        planted.add(frozenset((base.id, f"dup{p}")))

    pairs = find_duplicates(items, min_similarity=0.6, max_distance_m=250, window=timedelta(hours=24))

    assert pair_ids(pairs) == planted
    assert all(p.distance_m is not None and p.distance_m <= 250 and p.seconds_apart <= 2 * 3600 for p in pairs)
